/**
 * The one entry point for data: a path (CSV, ARFF or JSON, told apart by content and extension) or
 * a built-in dataset (`builtin:NAME[?...]`).
 */
import { extname } from 'node:path';
import { readTextFile } from '../util/io.js';
import type { Dataset } from './types.js';
import type { LoadOptions } from './options.js';
import { isBuiltinSpec, loadBuiltin } from './builtins.js';
import { loadArff } from './arff.js';
import { loadCsv } from './csv.js';
import { loadJsonData } from './json.js';

export type DataFormat = 'csv' | 'arff' | 'json';

/**
 * Tells the format of a data file from its content first, then its extension: ARFF when the first
 * line that is neither blank nor a `%` comment starts with `@relation`, `@attribute` or `@data`
 * (so the MONK files `.train`/`.test` are ARFF); JSON when the text starts with `[` or the
 * extension is `.json`; CSV otherwise.
 *
 * @example
 * sniffFormat('% comment\n@RELATION x\n', 'monks-1.train'); // 'arff'
 */
export function sniffFormat(text: string, file: string): DataFormat {
  const ext = extname(file).toLowerCase();
  const t = text.replace(/^\uFEFF/, '');
  for (const line of t.split(/\r\n|\r|\n/, 200)) {
    const s = line.trim();
    if (s === '' || s.startsWith('%')) continue;
    if (/^@(relation|attribute|data)\b/i.test(s)) return 'arff';
    break;
  }
  if (ext === '.arff') return 'arff';
  if (ext === '.json' || t.trimStart().startsWith('[')) return 'json';
  return 'csv';
}

/**
 * Loads a dataset: a file path (CSV with or without header, ARFF, or a JSON array of objects; see
 * {@link sniffFormat}) or `builtin:NAME[?n=..&seed=..&noise=..]` (see `listBuiltins`).
 *
 * Column types are inferred (see `inferDataset`) and can be overridden with `opts`. Things the
 * loader repaired are listed in `Dataset.warnings`.
 *
 * @param spec path or `builtin:NAME`.
 * @param opts target (by name or index), unlabelled data, forced categorical and ignored columns,
 *   CSV header on/off.
 * @throws InputError for a missing file, an empty or malformed file, a bad value (naming file, line
 *   and column) or an option naming an unknown column (a `DataOptionError`, listing the columns).
 * @example
 * const iris = await loadDataset('builtin:iris');
 * const adult = await loadDataset('../shared/datasets/adult.csv', { categorical: ['col_4'] });
 */
export async function loadDataset(spec: string, opts: LoadOptions = {}): Promise<Dataset> {
  if (isBuiltinSpec(spec)) return loadBuiltin(spec, opts);
  const text = await readTextFile(spec);
  switch (sniffFormat(text, spec)) {
    case 'arff':
      return loadArff(text, spec, opts);
    case 'json':
      return loadJsonData(text, spec, opts);
    case 'csv':
      return loadCsv(text, spec, opts);
  }
}
