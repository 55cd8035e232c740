/**
 * Three.js view of a frame: one InstancedMesh of spheres per element, orbit controls,
 * hemisphere + key + rim lights. Marks `window.__nanostudio.framesRendered` for tests.
 */
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Frame } from '../../core/atoms.ts';
import { displayRadius, elementColor } from '../colors.ts';

declare global {
  interface Window {
    __nanostudio?: { framesRendered: number; natoms: number };
  }
}

function buildMeshes(frame: Frame): THREE.Group {
  const group = new THREE.Group();
  const bySymbol = new Map<string, number[]>();
  frame.symbols.forEach((s, i) => {
    const list = bySymbol.get(s) ?? [];
    list.push(i);
    bySymbol.set(s, list);
  });
  const m = new THREE.Matrix4();
  for (const [symbol, atoms] of bySymbol) {
    const geom = new THREE.SphereGeometry(displayRadius(symbol), 32, 16);
    const mat = new THREE.MeshStandardMaterial({ color: elementColor(symbol), metalness: 0.55, roughness: 0.35 });
    const mesh = new THREE.InstancedMesh(geom, mat, atoms.length);
    atoms.forEach((i, k) => {
      m.makeTranslation(frame.positions[3 * i], frame.positions[3 * i + 1], frame.positions[3 * i + 2]);
      mesh.setMatrixAt(k, m);
    });
    mesh.instanceMatrix.needsUpdate = true;
    group.add(mesh);
  }
  return group;
}

export function Viewer({ frame }: { frame: Frame | null }) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el || !frame) return;
    const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    renderer.setSize(el.clientWidth, el.clientHeight);
    renderer.setClearColor(0x11151c);
    renderer.domElement.dataset.testid = 'viewer-canvas';
    el.appendChild(renderer.domElement);

    const scene = new THREE.Scene();
    scene.add(new THREE.HemisphereLight(0xdde6ff, 0x302018, 1.2));
    const key = new THREE.DirectionalLight(0xffffff, 2.2);
    key.position.set(10, 14, 12);
    scene.add(key);
    const rim = new THREE.DirectionalLight(0x88aaff, 0.8);
    rim.position.set(-12, -6, -10);
    scene.add(rim);

    const group = buildMeshes(frame);
    const box = new THREE.Box3().setFromObject(group);
    const centre = box.getCenter(new THREE.Vector3());
    const radius = Math.max(box.getSize(new THREE.Vector3()).length() / 2, 3);
    group.position.sub(centre);
    scene.add(group);

    const camera = new THREE.PerspectiveCamera(40, el.clientWidth / el.clientHeight, 0.1, 1000);
    camera.position.set(0, 0, radius * 3.2);
    const controls = new OrbitControls(camera, renderer.domElement);
    controls.enableDamping = true;

    window.__nanostudio = { framesRendered: 0, natoms: frame.symbols.length };
    let raf = 0;
    const loop = () => {
      controls.update();
      renderer.render(scene, camera);
      window.__nanostudio!.framesRendered++;
      raf = requestAnimationFrame(loop);
    };
    loop();
    const onResize = () => {
      camera.aspect = el.clientWidth / el.clientHeight;
      camera.updateProjectionMatrix();
      renderer.setSize(el.clientWidth, el.clientHeight);
    };
    const ro = new ResizeObserver(onResize);
    ro.observe(el);
    return () => {
      cancelAnimationFrame(raf);
      ro.disconnect();
      controls.dispose();
      group.traverse((o) => {
        if (o instanceof THREE.InstancedMesh) {
          o.geometry.dispose();
          (o.material as THREE.Material).dispose();
        }
      });
      renderer.dispose();
      el.removeChild(renderer.domElement);
    };
  }, [frame]);

  return <div ref={host} className="viewer" />;
}
