/** Temporary data files for loader tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'sd-data-'));

/** Writes `text` to a fresh temporary file named `name` and returns its path. */
export function tmpFile(name: string, text: string | Uint8Array): string {
  const sub = mkdtempSync(join(dir, 'f-'));
  const p = join(sub, name);
  writeFileSync(p, text);
  return p;
}
