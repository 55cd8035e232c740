/**
 * NumPy .npy format, version 1.0, little-endian float64 ('<f8'), C order:
 * magic "\x93NUMPY", version bytes 1 0, uint16 LE header length, an ASCII Python dict
 * {'descr': '<f8', 'fortran_order': False, 'shape': (…), } padded with spaces and a newline so
 * that the data starts at a multiple of 64 bytes, then the values.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Encode float64 values with a shape (product of shape = values.length). */
export function encodeNpy(values: ArrayLike<number>, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values, got ${values.length}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  const pad = (64 - ((10 + header.length + 1) % 64)) % 64;
  header += ' '.repeat(pad) + '\n';
  const out = Buffer.alloc(10 + header.length + 8 * count);
  MAGIC.forEach((b, i) => { out[i] = b; });
  out[6] = 1;
  out[7] = 0;
  out.writeUInt16LE(header.length, 8);
  out.write(header, 10, 'latin1');
  const off = 10 + header.length;
  for (let i = 0; i < count; i++) out.writeDoubleLE(values[i], off + 8 * i);
  return out;
}

/** Decode a '<f8' (or '<f4', '<i8', '<i4') .npy file into float64 values and its shape. */
export function decodeNpy(bytes: Uint8Array): { shape: number[]; data: Float64Array } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!MAGIC.every((m, i) => b[i] === m)) throw new Error('npy: bad magic');
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = b.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error('npy: Fortran order not supported');
  const shapeM = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shapeM) throw new Error(`npy: malformed header ${header}`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const count = shape.reduce((a, c) => a * c, 1);
  const off = start + hlen;
  const data = new Float64Array(count);
  const read: Record<string, [number, (o: number) => number]> = {
    '<f8': [8, (o) => b.readDoubleLE(o)],
    '<f4': [4, (o) => b.readFloatLE(o)],
    '<i8': [8, (o) => Number(b.readBigInt64LE(o))],
    '<i4': [4, (o) => b.readInt32LE(o)],
  };
  const r = read[descr];
  if (!r) throw new Error(`npy: dtype ${descr} not supported`);
  if (b.length < off + r[0] * count) throw new Error('npy: file shorter than its shape');
  for (let i = 0; i < count; i++) data[i] = r[1](off + r[0] * i);
  return { shape, data };
}
