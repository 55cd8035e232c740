/**
 * The teaching mode's 3-D view: atoms follow the live snapshot; press on an atom and drag to
 * pull it with a spring (the target point moves on the plane through the atom facing the
 * camera); release to let go. Orbit with the mouse elsewhere.
 * `window.__nanostudioTeach.atomScreen(i)` gives an atom's client coordinates (tests, scripts).
 */
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { displayRadius, elementColor } from '../colors.ts';

declare global {
  interface Window {
    __nanostudioTeach?: { atomScreen(i: number): [number, number]; steps: number; dragging: number | null };
  }
}

export interface TeachViewerProps {
  symbols: string[];
  /** Live positions, Å (3N). */
  positions: Float64Array;
  onSteer(atom: number, target: [number, number, number]): void;
  onRelease(): void;
}

export function TeachViewer({ symbols, positions, onSteer, onRelease }: TeachViewerProps) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(positions);
  latest.current = positions;
  const apply = useRef<(() => void) | null>(null);
  const cb = useRef({ onSteer, onRelease });
  cb.current = { onSteer, onRelease };

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const n = symbols.length;
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setSize(el.clientWidth, el.clientHeight);
    renderer.setClearColor(0x0e1218);
    renderer.domElement.dataset.testid = 'teach-canvas';
    el.appendChild(renderer.domElement);
    const scene = new THREE.Scene();
    scene.add(new THREE.HemisphereLight(0xdde6ff, 0x302018, 1.3));
    const key = new THREE.DirectionalLight(0xffffff, 2.2);
    key.position.set(10, 14, 12);
    scene.add(key);
    const geom = new THREE.SphereGeometry(1, 24, 12);
    const mat = new THREE.MeshStandardMaterial({ color: 0xffffff, metalness: 0.5, roughness: 0.4 });
    const mesh = new THREE.InstancedMesh(geom, mat, n);
    mesh.frustumCulled = false;
    scene.add(mesh);
    const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints([new THREE.Vector3(), new THREE.Vector3()]), new THREE.LineBasicMaterial({ color: 0xff5a5a }));
    line.visible = false;
    scene.add(line);
    const x0 = latest.current;
    const centre = new THREE.Vector3();
    for (let i = 0; i < n; i++) centre.add(new THREE.Vector3(x0[3 * i], x0[3 * i + 1], x0[3 * i + 2]));
    centre.divideScalar(Math.max(1, n));
    let radius = 3;
    for (let i = 0; i < n; i++) radius = Math.max(radius, new THREE.Vector3(x0[3 * i], x0[3 * i + 1], x0[3 * i + 2]).distanceTo(centre) + 1.5);
    const camera = new THREE.PerspectiveCamera(40, el.clientWidth / Math.max(1, el.clientHeight), 0.1, 1000);
    camera.position.set(0, 0, radius * 3.6);
    const controls = new OrbitControls(camera, renderer.domElement);
    let dragging: number | null = null;
    const target = new THREE.Vector3();
    const m = new THREE.Matrix4();
    const c = new THREE.Color();
    const atomPos = (i: number) => { const x = latest.current; return new THREE.Vector3(x[3 * i] - centre.x, x[3 * i + 1] - centre.y, x[3 * i + 2] - centre.z); };
    apply.current = () => {
      for (let i = 0; i < n; i++) {
        const r = displayRadius(symbols[i]);
        const p = atomPos(i);
        m.makeScale(r, r, r).setPosition(p);
        mesh.setMatrixAt(i, m);
        c.setHex(i === dragging ? 0xff5a5a : elementColor(symbols[i]));
        mesh.setColorAt(i, c);
      }
      mesh.instanceMatrix.needsUpdate = true;
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
      mesh.computeBoundingSphere();
      if (dragging !== null) {
        line.geometry.setFromPoints([atomPos(dragging), target]);
        line.visible = true;
      } else line.visible = false;
    };
    apply.current();
    const ray = new THREE.Raycaster();
    const ndc = (ev: PointerEvent) => {
      const r = renderer.domElement.getBoundingClientRect();
      return new THREE.Vector2(((ev.clientX - r.left) / r.width) * 2 - 1, -((ev.clientY - r.top) / r.height) * 2 + 1);
    };
    const plane = new THREE.Plane();
    const toWorld = (ev: PointerEvent): THREE.Vector3 | null => {
      ray.setFromCamera(ndc(ev), camera);
      const hit = new THREE.Vector3();
      return ray.ray.intersectPlane(plane, hit);
    };
    const send = () => cb.current.onSteer(dragging!, [target.x + centre.x, target.y + centre.y, target.z + centre.z]);
    const down = (ev: PointerEvent) => {
      ray.setFromCamera(ndc(ev), camera);
      const hits = ray.intersectObject(mesh);
      if (!hits.length || hits[0].instanceId === undefined) return;
      dragging = hits[0].instanceId;
      controls.enabled = false;
      const p = atomPos(dragging);
      plane.setFromNormalAndCoplanarPoint(camera.getWorldDirection(new THREE.Vector3()).negate(), p);
      target.copy(p);
      renderer.domElement.setPointerCapture(ev.pointerId);
      if (window.__nanostudioTeach) window.__nanostudioTeach.dragging = dragging;
      send();
      apply.current?.();
    };
    const move = (ev: PointerEvent) => {
      if (dragging === null) return;
      const w = toWorld(ev);
      if (!w) return;
      target.copy(w);
      send();
    };
    const up = () => {
      if (dragging === null) return;
      dragging = null;
      if (window.__nanostudioTeach) window.__nanostudioTeach.dragging = null;
      controls.enabled = true;
      cb.current.onRelease();
      apply.current?.();
    };
    renderer.domElement.addEventListener('pointerdown', down);
    renderer.domElement.addEventListener('pointermove', move);
    renderer.domElement.addEventListener('pointerup', up);
    renderer.domElement.addEventListener('pointercancel', up);
    window.__nanostudioTeach = {
      steps: 0, dragging: null,
      atomScreen: (i) => {
        const p = atomPos(i).project(camera);
        const r = renderer.domElement.getBoundingClientRect();
        return [r.left + ((p.x + 1) / 2) * r.width, r.top + ((1 - p.y) / 2) * r.height];
      },
    };
    let raf = 0;
    const loop = () => {
      controls.update();
      renderer.render(scene, camera);
      raf = requestAnimationFrame(loop);
    };
    loop();
    const ro = new ResizeObserver(() => {
      camera.aspect = el.clientWidth / Math.max(el.clientHeight, 1);
      camera.updateProjectionMatrix();
      renderer.setSize(el.clientWidth, el.clientHeight);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      cancelAnimationFrame(raf);
      controls.dispose();
      geom.dispose();
      mat.dispose();
      renderer.dispose();
      el.removeChild(renderer.domElement);
      apply.current = null;
    };
  }, [symbols]);

  useEffect(() => { apply.current?.(); }, [positions]);

  return <div ref={host} className="teach-viewer" />;
}
