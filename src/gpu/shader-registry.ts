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

/** A kernel line `// #include a b` names the shared modules (shaders/a.wgsl, …) it needs. */
const INCLUDE = /^\s*\/\/\s*#include\s+(.+)$/gm;

/**
 * A shader as compiled: `modules`, the shared modules its `// #include` lines name (each once,
 * recursively, dependencies first), then `body`, the file itself. WGSL declarations may stand in
 * any order, so a module can use constants and functions the kernel defines (and vice versa).
 */
export function composeShader(name: string): { modules: string; body: string } {
  const seen = new Set<string>([name]);
  const parts: string[] = [];
  const visit = (text: string, from: string): void => {
    for (const m of text.matchAll(INCLUDE)) {
      for (const dep of m[1].trim().split(/\s+/)) {
        if (seen.has(dep)) continue;
        seen.add(dep);
        let depText: string;
        try {
          depText = sourceOf(dep);
        } catch (e) {
          throw new Error(`shaders/${from}.wgsl includes '${dep}': ${(e as Error).message}`);
        }
        visit(depText, dep);
        parts.push(`// ---- module ${dep}.wgsl ----\n${depText}\n`);
      }
    }
  };
  const body = sourceOf(name);
  visit(body, name);
  return { modules: parts.join(''), body };
}

function sourceOf(name: string): string {
  if (!source) throw new Error('no shader source installed: import src/node/shaders-fs.ts (Node) or shaders-bundled.ts (browser)');
  return source(name);
}

/** WGSL text of `shaders/<name>.wgsl` with its included modules; throws if no source is installed or a file is unknown. */
export function shaderCode(name: string): string {
  const { modules, body } = composeShader(name);
  return modules + body;
}

/** The installed source function (to restore it after a temporary override). */
export function currentShaderSource(): ShaderSource | undefined {
  return source;
}
