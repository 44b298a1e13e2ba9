/**
 * The shared public datasets (`../shared/datasets` beside the clone; README there). Tests that read
 * them are declared with {@link describeShared} / {@link itShared}: they run when the folder is
 * present (as in CI) and are skipped, with the reason in their name and a note on stderr, in a clone
 * without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { ROOT } from './cli.js';

/** Folder of the shared public datasets. */
export const SHARED = join(ROOT, '..', 'shared', 'datasets');

/** Whether {@link SHARED} exists. */
export const HAS_SHARED = existsSync(SHARED);

const REASON = '(skipped: ../shared/datasets not found)';
let noted = false;

function label(name: string): string {
  if (HAS_SHARED) return name;
  if (!noted) {
    noted = true;
    process.stderr.write(`note: ${SHARED} not found; the tests that read the shared datasets are skipped\n`);
  }
  return `${name} ${REASON}`;
}

/** `describe` of tests that read the shared datasets. */
export function describeShared(name: string, fn: () => void): void {
  describe.skipIf(!HAS_SHARED)(label(name), fn);
}

/** `it` of a test that reads the shared datasets. */
export function itShared(name: string, fn: () => unknown, timeout?: number): void {
  it.skipIf(!HAS_SHARED)(label(name), fn, timeout);
}
