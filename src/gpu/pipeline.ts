/**
 * Compile a WGSL module into a compute pipeline, turning compilation errors into one Error
 * that names the shader file, line and column.
 */
/// <reference types="@webgpu/types" />
import { composeShader } from './shader-registry.ts';

/** Compile `shaders/<name>.wgsl` (optionally with constants prepended) into a compute pipeline. */
export async function computePipeline(device: GPUDevice, name: string, entryPoint = 'main', prelude = ''): Promise<GPUComputePipeline> {
  const { modules, body } = composeShader(name);
  const code = prelude + modules + body;
  const module = device.createShaderModule({ code, label: name });
  const info = await module.getCompilationInfo();
  const errors = info.messages.filter((m) => m.type === 'error');
  if (errors.length) {
    const offset = (prelude + modules).split('\n').length - 1;
    const where = (line: number): string => (line > offset ? `${line - offset}` : `(prelude or included module, line ${line} of the composed source)`);
    throw new Error(`WGSL errors in shaders/${name}.wgsl:\n` + errors.map((m) => `  ${where(m.lineNum)}:${m.linePos} ${m.message}`).join('\n'));
  }
  return device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint }, label: name });
}
