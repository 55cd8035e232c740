/** A plain, serializable description of a WebGPU adapter (for the status bar, CLI and logs). */
/// <reference types="@webgpu/types" />

export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU/software adapters (SwiftShader, llvmpipe). */
  isSoftware: boolean;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
  maxComputeWorkgroupStorageSize: number;
  maxComputeInvocationsPerWorkgroup: number;
  features: string[];
}

/** Summarise an adapter: names and the limits the engine cares about. */
export function adapterSummary(adapter: GPUAdapter): AdapterSummary {
  const info = adapter.info;
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`.toLowerCase();
  const isFallback = (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    isSoftware: isFallback || /swiftshader|llvmpipe|lavapipe|software|cpu/.test(text),
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
    maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup,
    features: [...adapter.features].map(String).sort(),
  };
}

/** One human-readable line: "SwiftShader Device (Subzero) — google/swiftshader (software)". */
export function adapterLabel(a: AdapterSummary): string {
  const name = a.description || a.device || a.architecture || 'unknown adapter';
  const who = [a.vendor, a.architecture].filter(Boolean).join('/');
  return `${name}${who ? ` — ${who}` : ''}${a.isSoftware ? ' (software)' : ''}`;
}

/**
 * Request a device with the adapter's own storage and workgroup limits (the WebGPU defaults —
 * 128 MiB bindings, 8 storage buffers per stage, 16 KiB workgroup memory — are lower than most
 * adapters offer, and the DP engine uses more).
 */
export function requestDeviceWithAdapterLimits(adapter: GPUAdapter): Promise<GPUDevice> {
  const l = adapter.limits;
  return adapter.requestDevice({
    requiredLimits: {
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
      maxBufferSize: l.maxBufferSize,
      maxStorageBuffersPerShaderStage: l.maxStorageBuffersPerShaderStage,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
      maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
      maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    },
  });
}
