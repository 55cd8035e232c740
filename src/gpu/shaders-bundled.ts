/** Browser host (Vite): every `shaders/*.wgsl` is bundled as text at build time. */
import { setShaderSource } from './shader-registry.ts';

const files = import.meta.glob('../../shaders/*.wgsl', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const byName = new Map(Object.entries(files).map(([path, text]) => [path.replace(/^.*\//, '').replace(/\.wgsl$/, ''), text]));

setShaderSource((name) => {
  const text = byName.get(name);
  if (text === undefined) throw new Error(`unknown shader '${name}' (bundled: ${[...byName.keys()].join(', ')})`);
  return text;
});
