/**
 * A small 3-D view of one frame with some atoms highlighted (the atom picked on the descriptor
 * map, the atoms of a brushed region, a frame opened from the parity plot): highlighted atoms
 * in bright red and larger, the others dimmed. Independent of the main viewer so an analysis
 * never disturbs the running simulation. Reports what it shows on
 * `window.__nanostudioAnalysis.frameView` for tests.
 */
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { displayRadius, elementColor } from '../colors.ts';
import type { FrameInput } from '../../worker/analysis-service.ts';

declare global {
  interface Window {
    __nanostudioAnalysis?: {
      frameView?: { natoms: number; highlighted: number[]; title: string };
      map?: { rows: number; rowOf(group: number, frame: number, atom: number): number; pointOf(row: number): [number, number] };
    };
  }
}

export function FrameView({ frame, highlighted, title }: { frame: FrameInput; highlighted: number[]; title: string }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const n = frame.symbols.length;
    const hl = new Set(highlighted);
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setSize(el.clientWidth, el.clientHeight);
    renderer.setClearColor(0x11151c);
    renderer.domElement.dataset.testid = 'frame-view-canvas';
    el.appendChild(renderer.domElement);
    const scene = new THREE.Scene();
    scene.add(new THREE.HemisphereLight(0xdde6ff, 0x302018, 1.3));
    const key = new THREE.DirectionalLight(0xffffff, 2);
    key.position.set(10, 14, 12);
    scene.add(key);
    const geom = new THREE.SphereGeometry(1, 24, 12);
    const mat = new THREE.MeshStandardMaterial({ color: 0xffffff, metalness: 0.4, roughness: 0.45 });
    const mesh = new THREE.InstancedMesh(geom, mat, Math.max(n, 1));
    const x = frame.positions;
    const c = [0, 1, 2].map((k) => { let t = 0; for (let i = 0; i < n; i++) t += x[3 * i + k]; return t / Math.max(n, 1); });
    let radius = 3;
    const m = new THREE.Matrix4();
    const col = new THREE.Color();
    for (let i = 0; i < n; i++) {
      const on = hl.has(i);
      const r = displayRadius(frame.symbols[i]) * (on ? 1.15 : 0.85);
      m.makeScale(r, r, r).setPosition(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]);
      mesh.setMatrixAt(i, m);
      if (on) col.setHex(0xff2a2a);
      else col.setHex(elementColor(frame.symbols[i])).multiplyScalar(hl.size ? 0.35 : 1);
      mesh.setColorAt(i, col);
      radius = Math.max(radius, Math.hypot(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]) + 1.5);
    }
    mesh.frustumCulled = false;
    scene.add(mesh);
    const camera = new THREE.PerspectiveCamera(40, el.clientWidth / Math.max(el.clientHeight, 1), 0.1, 1000);
    camera.position.set(0, 0, radius * 3.4);
    const controls = new OrbitControls(camera, renderer.domElement);
    let raf = 0;
    const loop = () => { controls.update(); renderer.render(scene, camera); raf = requestAnimationFrame(loop); };
    loop();
    window.__nanostudioAnalysis = { ...(window.__nanostudioAnalysis ?? {}), frameView: { natoms: n, highlighted: [...hl].sort((a, b) => a - b), title } };
    return () => {
      cancelAnimationFrame(raf);
      controls.dispose();
      geom.dispose();
      mat.dispose();
      renderer.dispose();
      el.removeChild(renderer.domElement);
    };
  }, [frame, highlighted, title]);

  return (
    <figure className="frame-view" data-testid="frame-view">
      <div ref={host} className="frame-view-canvas" />
      <figcaption data-testid="frame-view-caption">{title} · {highlighted.length} atom{highlighted.length === 1 ? '' : 's'} highlighted{highlighted.length && highlighted.length <= 6 ? ` (${highlighted.join(', ')})` : ''}</figcaption>
    </figure>
  );
}
