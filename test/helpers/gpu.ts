/** The WebGPU device of a GPU test file (Node host: Dawn; see docs and src/node/gpu-device.ts). */
import { afterAll, beforeAll } from 'vitest';
import { getNodeGpu, releaseNodeGpu, type NodeGpu } from '../../src/node/gpu-device.ts';

/**
 * Registers the file's GPU set-up: the device is created before the file's tests and destroyed
 * (and the Node host released) after them. Call it at the top of the file, before hooks that use
 * the device; their afterAll hooks run before the device is destroyed. The returned object reads
 * the device lazily, so use it inside hooks and tests only.
 */
export function useNodeGpu(): NodeGpu {
  let g: NodeGpu | undefined;
  beforeAll(async () => {
    g = await getNodeGpu();
  });
  afterAll(() => {
    g?.device.destroy();
    releaseNodeGpu();
  });
  const need = (): NodeGpu => {
    if (!g) throw new Error('the test GPU is created in beforeAll: use it inside a hook or a test');
    return g;
  };
  return {
    get adapter() { return need().adapter; },
    get device() { return need().device; },
    get info() { return need().info; },
  };
}
