/** Node host: read WGSL from the repository's `shaders/` folder. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setShaderSource } from '../gpu/shader-registry.ts';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shaders');

setShaderSource((name) => {
  try {
    return readFileSync(resolve(dir, `${name}.wgsl`), 'utf8');
  } catch {
    throw new Error(`unknown shader '${name}' (no ${name}.wgsl in ${dir})`);
  }
});
