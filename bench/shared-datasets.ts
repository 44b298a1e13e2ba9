/**
 * The shared public datasets the benchmarks read (`../shared/datasets` beside the clone; README
 * there). A benchmark that needs them writes its section with the reason instead of figures when
 * the folder is absent (a fresh clone), and says so on stderr.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Folder of the shared public datasets. */
export const SHARED = join(import.meta.dirname, '..', '..', 'shared', 'datasets');

/**
 * The section `heading` saying why it has no figures, or null when the shared datasets are here.
 *
 * @example
 * const skipped = skippedWithoutShared('## Data loading and sampling');
 * if (skipped) return skipped;
 */
export function skippedWithoutShared(heading: string): string | null {
  if (existsSync(SHARED)) return null;
  process.stderr.write(`bench: ${SHARED} not found; "${heading.replace(/^#+ /, '')}" skipped\n`);
  return `${heading}\n\nSkipped: this benchmark reads ../shared/datasets, which was not found beside the clone.\n`;
}
