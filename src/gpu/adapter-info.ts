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
