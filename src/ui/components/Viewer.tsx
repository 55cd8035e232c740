/**
 * Three.js view of a frame: one InstancedMesh of spheres (per-instance colour), orbit controls,
 * hemisphere + key + rim lights. Positions and colours follow the live simulation snapshot
 * without rebuilding the scene. Exposes counters on `window.__nanostudio` for the e2e tests.
 */
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import type { Frame } from '../../core/atoms.ts';
import { deviationColor, displayRadius, elementColor } from '../colors.ts';
import { useStudio, type StudioState } from '../store.ts';

declare global {
  interface Window {
    __nanostudio?: { framesRendered: number; natoms: number; snapshots: number; step: number; colourKey: string; positionKey: string };
  }
}

/** A short fingerprint of an array (for tests to see that something changed). */
function key(a: ArrayLike<number>): string {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (h * 31 + Math.round(a[i] * 1000)) | 0;
  return h.toString(16);
}

function applyState(mesh: THREE.InstancedMesh, frame: Frame, st: StudioState, centre: THREE.Vector3): void {
  const n = frame.symbols.length;
  const snap = st.snapshot && st.snapshot.positions.length === 3 * n ? st.snapshot : null;
  const x = snap ? snap.positions : frame.positions;
  const m = new THREE.Matrix4();
  const c = new THREE.Color();
  const colours: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = displayRadius(frame.symbols[i]);
    m.makeScale(r, r, r).setPosition(x[3 * i] - centre.x, x[3 * i + 1] - centre.y, x[3 * i + 2] - centre.z);
    mesh.setMatrixAt(i, m);
    if (snap && st.colourMode === 'deviation') c.setRGB(...deviationColor(snap.atomicDeviF[i], st.trustLo, st.trustHi));
    else c.setHex(elementColor(frame.symbols[i]));
    mesh.setColorAt(i, c);
    colours.push(c.r, c.g, c.b);
  }
  mesh.instanceMatrix.needsUpdate = true;
  if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
  if (window.__nanostudio) {
    window.__nanostudio.colourKey = key(colours);
    window.__nanostudio.positionKey = key(x);
    window.__nanostudio.step = snap?.step ?? 0;
  }
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
    const keyLight = new THREE.DirectionalLight(0xffffff, 2.2);
    keyLight.position.set(10, 14, 12);
    scene.add(keyLight);
    const rim = new THREE.DirectionalLight(0x88aaff, 0.8);
    rim.position.set(-12, -6, -10);
    scene.add(rim);

    const n = frame.symbols.length;
    const geom = new THREE.SphereGeometry(1, 32, 16);
    const mat = new THREE.MeshStandardMaterial({ color: 0xffffff, metalness: 0.5, roughness: 0.38 });
    const mesh = new THREE.InstancedMesh(geom, mat, n);
    const centre = new THREE.Vector3();
    for (let i = 0; i < n; i++) centre.add(new THREE.Vector3(frame.positions[3 * i], frame.positions[3 * i + 1], frame.positions[3 * i + 2]));
    centre.divideScalar(Math.max(n, 1));
    let radius = 3;
    for (let i = 0; i < n; i++) {
      radius = Math.max(radius, Math.hypot(frame.positions[3 * i] - centre.x, frame.positions[3 * i + 1] - centre.y, frame.positions[3 * i + 2] - centre.z) + 1.5);
    }
    window.__nanostudio = { framesRendered: 0, natoms: n, snapshots: 0, step: 0, colourKey: '', positionKey: '' };
    applyState(mesh, frame, useStudio.getState(), centre);
    mesh.computeBoundingSphere();
    mesh.frustumCulled = false;
    scene.add(mesh);
    const unsubscribe = useStudio.subscribe((st, prev) => {
      if (st.snapshot !== prev.snapshot || st.colourMode !== prev.colourMode || st.trustLo !== prev.trustLo || st.trustHi !== prev.trustHi) {
        if (st.snapshot !== prev.snapshot && window.__nanostudio) window.__nanostudio.snapshots++;
        applyState(mesh, frame, st, centre);
      }
    });

    const camera = new THREE.PerspectiveCamera(40, el.clientWidth / el.clientHeight, 0.1, 1000);
    camera.position.set(0, 0, radius * 3.6);
    const controls = new OrbitControls(camera, renderer.domElement);
    controls.enableDamping = true;

    let raf = 0;
    const loop = () => {
      controls.update();
      renderer.render(scene, camera);
      window.__nanostudio!.framesRendered++;
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
      unsubscribe();
      cancelAnimationFrame(raf);
      ro.disconnect();
      controls.dispose();
      geom.dispose();
      mat.dispose();
      renderer.dispose();
      el.removeChild(renderer.domElement);
    };
  }, [frame]);

  return <div ref={host} className="viewer" />;
}
