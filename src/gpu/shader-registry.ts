/**
 * WGSL sources by file name (without `.wgsl`). The sources live in `shaders/`; how they are
 * read depends on the host, so the host installs a source function once:
 * the browser build (Vite) bundles them with `import.meta.glob` (see shaders-bundled.ts),
 * Node reads them from disk (see shaders-fs.ts).
 */
export type ShaderSource = (name: string) => string;

let source: ShaderSource | undefined;

/** Install the function that returns the WGSL text of `shaders/<name>.wgsl`. */
export function setShaderSource(fn: ShaderSource): void {
  source = fn;
}

/** WGSL text of `shaders/<name>.wgsl`; throws if no source is installed or the file is unknown. */
export function shaderCode(name: string): string {
  if (!source) throw new Error('no shader source installed: import src/node/shaders-fs.ts (Node) or shaders-bundled.ts (browser)');
  return source(name);
}

/** The installed source function (to restore it after a temporary override). */
export function currentShaderSource(): ShaderSource | undefined {
  return source;
}
