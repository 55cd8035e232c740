/**
 * Three.js view of what the studio shows: a stored frame being replayed (timeline, inspector),
 * else the live simulation snapshot, else the structure. One InstancedMesh of spheres
 * (per-instance colour: element, or per-atom force deviation on the trust-level scale), the
 * periodic cell as a box of lines, orbit controls. The scene is rebuilt only when the atoms'
 * symbols change; positions and colours are updated in place. Files dropped on the view are
 * handed to `onDropFiles` (extended XYZ import). Exposes counters on `window.__nanostudio`
 * for the e2e tests.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { deviationScale, displayRadius, elementColor } from '../colors.ts';
import { useStudio, type StudioState } from '../store.ts';

declare global {
  interface Window {
    __nanostudio?: {
      framesRendered: number; natoms: number; snapshots: number; step: number; colourKey: string; positionKey: string;
      /** What the viewer shows: 'structure', 'live' (simulation snapshot) or 'replay' (a stored frame). */
      source: string;
      /** Id of the stored frame on screen (replay), else -1. */
      frameId: number;
      /** The periodic cell is drawn. */
      cellDrawn: boolean;
    };
  }
}

/** What the viewer draws. Positions Å (3N), deviation eV/Å (N) when known, cell rows Å (9). */
export interface Display {
  symbols: string[];
  positions: ArrayLike<number>;
  cell: ArrayLike<number> | null;
  deviation: ArrayLike<number> | null;
  step: number;
  source: 'structure' | 'live' | 'replay';
  frameId: number;
}

/** The display of a studio state: replay > live snapshot (same atom count as the structure) > structure. */
export function displayOf(st: Pick<StudioState, 'frame' | 'snapshot' | 'replay'>): Display | null {
  if (st.replay) {
    const r = st.replay;
    return { symbols: r.symbols, positions: r.positions, cell: r.cell ?? null, deviation: r.atomicDeviF, step: r.step, source: 'replay', frameId: r.id };
  }
  const f = st.frame;
  if (!f) return null;
  const snap = st.snapshot && st.snapshot.positions.length === f.positions.length ? st.snapshot : null;
  if (snap) return { symbols: f.symbols, positions: snap.positions, cell: snap.cell ?? f.cell, deviation: snap.atomicDeviF, step: snap.step, source: 'live', frameId: -1 };
  return { symbols: f.symbols, positions: f.positions, cell: f.cell, deviation: null, step: 0, source: 'structure', frameId: -1 };
}

/** A short fingerprint of an array (for tests to see that something changed). */
function key(a: ArrayLike<number>): string {
  let h = 0;
  for (let i = 0; i < a.length; i++) h = (h * 31 + Math.round(a[i] * 1000)) | 0;
  return h.toString(16);
}

/** The 12 edges of the cell spanned by the rows of `cell` (Å), as line-segment end points. */
export function cellEdges(cell: ArrayLike<number>): number[] {
  const a = [cell[0], cell[1], cell[2]], b = [cell[3], cell[4], cell[5]], c = [cell[6], cell[7], cell[8]];
  const corner = (i: number, j: number, k: number) => [0, 1, 2].map((d) => i * a[d] + j * b[d] + k * c[d]);
  const out: number[] = [];
  for (const [p, q] of [
    [[0, 0, 0], [1, 0, 0]], [[0, 0, 0], [0, 1, 0]], [[0, 0, 0], [0, 0, 1]],
    [[1, 0, 0], [1, 1, 0]], [[1, 0, 0], [1, 0, 1]], [[0, 1, 0], [1, 1, 0]],
    [[0, 1, 0], [0, 1, 1]], [[0, 0, 1], [1, 0, 1]], [[0, 0, 1], [0, 1, 1]],
    [[1, 1, 0], [1, 1, 1]], [[1, 0, 1], [1, 1, 1]], [[0, 1, 1], [1, 1, 1]],
  ]) out.push(...corner(p[0], p[1], p[2]), ...corner(q[0], q[1], q[2]));
  return out;
}

const cellKey = (c: ArrayLike<number> | null) => (c ? Array.from(c, (v) => v.toFixed(2)).join(',') : 'open');

interface Scene {
  mesh: THREE.InstancedMesh | null;
  box: THREE.LineSegments | null;
  symbolsKey: string;
  centre: THREE.Vector3;
}

export function Viewer({ onDropFiles }: { onDropFiles?: (files: File[]) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
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
    const geom = new THREE.SphereGeometry(1, 32, 16);
    const mat = new THREE.MeshStandardMaterial({ color: 0xffffff, metalness: 0.5, roughness: 0.38 });
    const lineMat = new THREE.LineBasicMaterial({ color: 0x7f8ea3 });
    const camera = new THREE.PerspectiveCamera(40, el.clientWidth / Math.max(el.clientHeight, 1), 0.1, 2000);
    const controls = new OrbitControls(camera, renderer.domElement);
    controls.enableDamping = true;
    const s: Scene = { mesh: null, box: null, symbolsKey: '', centre: new THREE.Vector3() };
    window.__nanostudio = { framesRendered: 0, natoms: 0, snapshots: 0, step: 0, colourKey: '', positionKey: '', source: 'structure', frameId: -1, cellDrawn: false };

    /** New atoms (or a new cell): new mesh, centre and camera distance. */
    const rebuild = (d: Display) => {
      if (s.mesh) { scene.remove(s.mesh); s.mesh.dispose(); }
      if (s.box) { scene.remove(s.box); s.box.geometry.dispose(); s.box = null; }
      const n = d.symbols.length;
      const x = d.positions;
      const centre = new THREE.Vector3();
      if (d.cell) {
        for (let r = 0; r < 3; r++) centre.add(new THREE.Vector3(d.cell[3 * r], d.cell[3 * r + 1], d.cell[3 * r + 2]).multiplyScalar(0.5));
      } else {
        for (let i = 0; i < n; i++) centre.add(new THREE.Vector3(x[3 * i], x[3 * i + 1], x[3 * i + 2]));
        centre.divideScalar(Math.max(n, 1));
      }
      let radius = 3;
      for (let i = 0; i < n; i++) radius = Math.max(radius, Math.hypot(x[3 * i] - centre.x, x[3 * i + 1] - centre.y, x[3 * i + 2] - centre.z) + 1.5);
      if (d.cell) {
        const edges = cellEdges(d.cell).map((v, k) => v - centre.getComponent(k % 3));
        const g = new THREE.BufferGeometry();
        g.setAttribute('position', new THREE.Float32BufferAttribute(edges, 3));
        s.box = new THREE.LineSegments(g, lineMat);
        scene.add(s.box);
        for (let k = 0; k < edges.length; k += 3) radius = Math.max(radius, Math.hypot(edges[k], edges[k + 1], edges[k + 2]));
      }
      s.mesh = new THREE.InstancedMesh(geom, mat, Math.max(n, 1));
      s.mesh.count = n;
      s.mesh.frustumCulled = false;
      scene.add(s.mesh);
      s.centre = centre;
      s.symbolsKey = `${d.symbols.join(',')}|${cellKey(d.cell)}`;
      camera.position.set(0, 0, radius * 3.4);
      controls.target.set(0, 0, 0);
      window.__nanostudio!.natoms = n;
      window.__nanostudio!.cellDrawn = !!d.cell;
    };

    const apply = (st: StudioState) => {
      const d = displayOf(st);
      if (!d) return;
      // Rebuild for new atoms or a new cell; a live run's cell fluctuations (NPT) keep the scene.
      const want = `${d.symbols.join(',')}|${d.source === 'live' ? s.symbolsKey.split('|')[1] : cellKey(d.cell)}`;
      if (!s.mesh || want !== s.symbolsKey) rebuild(d);
      const mesh = s.mesh!;
      const m = new THREE.Matrix4();
      const c = new THREE.Color();
      const colours: number[] = [];
      const x = d.positions;
      const byDeviation = d.deviation && st.colourMode === 'deviation' ? deviationScale(st.trustLo, st.trustHi) : null;
      for (let i = 0; i < d.symbols.length; i++) {
        const r = displayRadius(d.symbols[i]);
        m.makeScale(r, r, r).setPosition(x[3 * i] - s.centre.x, x[3 * i + 1] - s.centre.y, x[3 * i + 2] - s.centre.z);
        mesh.setMatrixAt(i, m);
        if (byDeviation) c.setRGB(...byDeviation(d.deviation![i]));
        else c.setHex(elementColor(d.symbols[i]));
        mesh.setColorAt(i, c);
        colours.push(c.r, c.g, c.b);
      }
      mesh.instanceMatrix.needsUpdate = true;
      if (mesh.instanceColor) mesh.instanceColor.needsUpdate = true;
      const w = window.__nanostudio!;
      w.colourKey = key(colours);
      w.positionKey = key(x);
      w.step = d.step;
      w.source = d.source;
      w.frameId = d.frameId;
    };
    apply(useStudio.getState());
    const unsubscribe = useStudio.subscribe((st, prev) => {
      if (st.frame !== prev.frame || st.replay !== prev.replay || st.snapshot !== prev.snapshot || st.colourMode !== prev.colourMode || st.trustLo !== prev.trustLo || st.trustHi !== prev.trustHi) {
        if (st.snapshot !== prev.snapshot && st.snapshot) window.__nanostudio!.snapshots++;
        apply(st);
      }
    });

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
      s.mesh?.dispose();
      s.box?.geometry.dispose();
      geom.dispose();
      mat.dispose();
      lineMat.dispose();
      renderer.dispose();
      el.removeChild(renderer.domElement);
    };
  }, []);

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const files = [...e.dataTransfer.files];
    if (files.length && onDropFiles) onDropFiles(files);
  };
  return (
    <div
      ref={host}
      className={`viewer${dragging ? ' dragging' : ''}`}
      data-testid="viewer"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    />
  );
}
