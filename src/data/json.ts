/**
 * JSON loading: an array of flat objects, one per row (`[{"x": 1, "y": "a"}, ...]`). Columns are
 * the union of the keys in order of first appearance; an absent key or `null` is missing.
 */
import { InputError } from '../util/errors.js';
import { parseJsonText } from '../util/json.js';
import type { Dataset } from './types.js';
import type { LoadOptions } from './options.js';
import { inferDataset, type RawTable } from './infer.js';

/**
 * Parses JSON text (an array of objects) into a raw table. Errors name the JSON path, e.g.
 * `data.json: at $[3].age: nested objects are not supported`.
 *
 * @throws InputError for invalid JSON (with line and column), a non-array, a non-object element or a nested value.
 * @example
 * parseJsonTable('[{"a":1,"b":"x"},{"a":2}]', 'd.json').cells; // [[1, 'x'], [2, null]]
 */
export function parseJsonTable(text: string, file: string): RawTable {
  if (text.replace(/^\uFEFF/, '').trim() === '') throw new InputError('empty file: no rows', { file });
  const data = parseJsonText(text, file);
  if (!Array.isArray(data)) throw new InputError('expected an array of objects (one per row)', { file, path: '$' });
  if (data.length === 0) throw new InputError('empty file: no rows', { file, path: '$' });
  const names: string[] = [];
  const index = new Map<string, number>();
  data.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new InputError('expected an object (one row)', { file, path: `$[${i}]` });
    }
    for (const k of Object.keys(row)) {
      if (!index.has(k)) {
        index.set(k, names.length);
        names.push(k);
      }
    }
  });
  const cells = data.map((row: Record<string, unknown>, i) => {
    const out: (string | number | boolean | null)[] = new Array(names.length).fill(null);
    for (const [k, v] of Object.entries(row)) {
      if (v !== null && typeof v === 'object') {
        throw new InputError('nested objects and arrays are not supported', { file, path: `$[${i}]${jsonKey(k)}` });
      }
      out[index.get(k)!] = v as string | number | boolean | null;
    }
    return out;
  });
  return { file, columns: names.map((name) => ({ name })), cells, where: (i) => ({ path: `$[${i}]` }), warnings: [] };
}

/**
 * Loads JSON text (an array of objects) into a typed {@link Dataset}.
 *
 * @throws InputError as {@link parseJsonTable}, and for bad values (naming the JSON path and column).
 * @example
 * loadJsonData('[{"x":1,"y":"a"},{"x":2,"y":"b"}]', 'd.json').schema.target; // { name: 'y', kind: 'class', classes: ['a', 'b'] }
 */
export function loadJsonData(text: string, file: string, opts: LoadOptions = {}, source = file): Dataset {
  return inferDataset(parseJsonTable(text, file), opts, source);
}

function jsonKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
}
