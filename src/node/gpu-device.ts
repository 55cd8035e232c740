/**
 * A WebGPU device in Node through the npm package `webgpu` (Google's Dawn).
 *
 * Finds an adapter on its own: first whatever Vulkan driver the system offers (a real GPU,
 * Mesa), then the SwiftShader software Vulkan driver that Debian's `chromium` package ships.
 * Two Dawn pitfalls are handled (shared/docs/webgpu-on-cpu.md §3): the object returned by
 * `create()` is kept alive for as long as devices exist, and Dawn's busy-polling tick loop
 * is throttled so it does not steal a core from a software adapter.
 */
/// <reference types="@webgpu/types" />
import { existsSync } from 'node:fs';
import { adapterSummary, requestDeviceWithAdapterLimits, type AdapterSummary } from '../gpu/adapter-info.ts';

/** Vulkan ICD manifests of software drivers we know how to use, in order of preference. */
export const SOFTWARE_ICDS = ['/usr/lib/chromium/vk_swiftshader_icd.json'];

let liveGpu: GPU | undefined;
let throttled = false;

// Dawn drives pending promises by calling device.Tick() from a setImmediate loop
// (crbug.com/dawn/1127). Defer only Dawn's native callbacks by 1 ms.
function throttleDawnTicks(delayMs = 1): void {
  if (throttled || process.env.WEBGPU_NO_THROTTLE === '1') return;
  throttled = true;
  const orig = globalThis.setImmediate;
  const fnToString = Function.prototype.toString;
  const patched = function (fn: (...a: unknown[]) => void, ...args: unknown[]) {
    if (typeof fn === 'function' && fn.name === '' && fnToString.call(fn).includes('[native code]')) {
      return setTimeout(fn, delayMs, ...args);
    }
    return orig(fn, ...args);
  };
  globalThis.setImmediate = patched as unknown as typeof setImmediate;
}

export interface NodeGpu {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: AdapterSummary;
}

async function tryAdapter(): Promise<GPUAdapter | null> {
  const { create, globals } = await import('webgpu');
  Object.assign(globalThis, globals);
  throttleDawnTicks();
  liveGpu = create([]) as unknown as GPU;
  return liveGpu.requestAdapter({ powerPreference: 'high-performance' });
}

/**
 * Request a device with the adapter's maximum storage-buffer limits.
 * Throws an Error saying what to install when no adapter exists.
 */
export async function getNodeGpu(): Promise<NodeGpu> {
  let adapter: GPUAdapter | null = null;
  let loadError: unknown;
  try {
    adapter = await tryAdapter();
    if (!adapter && !process.env.VK_ICD_FILENAMES) {
      const icd = SOFTWARE_ICDS.find((p) => existsSync(p));
      if (icd) {
        process.env.VK_ICD_FILENAMES = icd;
        adapter = await tryAdapter();
      }
    }
  } catch (e) {
    loadError = e;
  }
  if (!adapter) {
    const why = loadError instanceof Error ? ` (${loadError.message})` : '';
    throw new Error(
      `no WebGPU adapter found${why}. Install a Vulkan driver: on Debian/Ubuntu ` +
        '`apt-get install libvulkan1 chromium` (its SwiftShader driver is found automatically), ' +
        'or set VK_ICD_FILENAMES to a Vulkan ICD manifest.',
    );
  }
  const device = await requestDeviceWithAdapterLimits(adapter);
  return { adapter, device, info: adapterSummary(adapter) };
}

/** Drop the reference to Dawn's instance so the process can exit (after device.destroy()). */
export function releaseNodeGpu(): void {
  liveGpu = undefined;
}
