/** Float64 arrays ⇄ SQLite BLOBs (little-endian IEEE-754 doubles, the layout of every x86/ARM host). */

/** Encode a float64 array (any unit) as a BLOB. */
export function f64ToBlob(a: ArrayLike<number>): Buffer {
  const f = a instanceof Float64Array ? a : Float64Array.from(a);
  const b = Buffer.alloc(f.length * 8);
  for (let i = 0; i < f.length; i++) b.writeDoubleLE(f[i], 8 * i);
  return b;
}

/** Decode a BLOB written by f64ToBlob. */
export function blobToF64(b: Uint8Array): Float64Array {
  if (b.byteLength % 8 !== 0) throw new Error(`float64 blob has ${b.byteLength} bytes, not a multiple of 8`);
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float64Array(b.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = buf.readDoubleLE(8 * i);
  return out;
}

/** Current time as an ISO-8601 UTC string (the time format of the database). */
export function nowIso(): string {
  return new Date().toISOString();
}
