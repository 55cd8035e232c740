/** Find an executable on the PATH, as the shell would. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** First executable file named `name` on `path` (default $PATH), or null. */
export function which(name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* not here */ }
  }
  return null;
}
