/** Files written so that a reader (or a restart after kill -9) sees either the old file or the whole new one. */
import { renameSync, writeFileSync } from 'node:fs';

/** Write a file atomically: a temporary file next to it, then rename (atomic within one file system). */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** writeAtomic of a value as JSON. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeAtomic(path, JSON.stringify(value));
}
