/**
 * Row subsets of a dataset: seeded (stratified) train/test splits and selection by index.
 */
import { createRng } from '../util/rng.js';
import type { Dataset } from './types.js';

/**
 * The rows of `ds` at `indices` (in that order; repeats allowed), as a new dataset with the same
 * schema and source. The missing count is recomputed; warnings are kept.
 *
 * @throws RangeError for an index outside the dataset (a programming error, not bad input).
 * @example
 * selectRows(iris, [0, 50, 100]).target; // ['setosa', 'versicolor', 'virginica']
 */
export function selectRows(ds: Dataset, indices: readonly number[]): Dataset {
  const n = ds.rows.length;
  let missing = 0;
  const rows = indices.map((i) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`row index ${i} is outside 0..${n - 1}`);
    const r = ds.rows[i];
    for (const v of r) if (v === null) missing++;
    return r.slice();
  });
  const out: Dataset = { source: ds.source, schema: ds.schema, rows, missing };
  if (ds.target) out.target = indices.map((i) => ds.target![i]);
  if (ds.warnings) out.warnings = [...ds.warnings];
  return out;
}

/**
 * Splits `ds` into a training part holding a share `fraction` of the rows and a test part with the
 * rest, at random from `seed`. For class targets the split is stratified: each class (and the rows
 * with a missing target, as one more group) is split in the same proportion, rounding each group's
 * training count to the nearest integer. Each part keeps the original row order.
 *
 * @param ds the dataset.
 * @param fraction share of rows in the training part, strictly between 0 and 1 (e.g. 0.8).
 * @param seed seed of the shuffle; the same seed gives the same split.
 * @throws RangeError when `fraction` is not in (0, 1).
 * @example
 * const [train, test] = splitDataset(iris, 0.8, 42); // 120 and 30 rows, 40 and 10 per species
 */
export function splitDataset(ds: Dataset, fraction: number, seed: number): [train: Dataset, test: Dataset] {
  const [train, test] = splitIndices(ds, fraction, seed);
  return [selectRows(ds, train), selectRows(ds, test)];
}

/**
 * The row indices of {@link splitDataset}'s two parts, each in increasing order: what a caller
 * needs to name the rows of a part by their place in the original data.
 *
 * @throws RangeError when `fraction` is not in (0, 1).
 * @example
 * const [train, test] = splitIndices(iris, 0.8, 42); // test.length === 30
 */
export function splitIndices(ds: Dataset, fraction: number, seed: number): [train: number[], test: number[]] {
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  const rng = createRng(seed);
  const groups = new Map<string, number[]>();
  const stratified = ds.schema.target?.kind === 'class' && ds.target !== undefined;
  for (let i = 0; i < ds.rows.length; i++) {
    const key = stratified ? (ds.target![i] === null ? '\u0000missing' : String(ds.target![i])) : '';
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  // Visit groups in a fixed order (class order, then missing) so the rng stream does not depend on row order.
  const keys = [...groups.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const train: number[] = [];
  const test: number[] = [];
  for (const key of keys) {
    const g = rng.shuffle(groups.get(key)!.slice());
    const k = Math.round(fraction * g.length);
    train.push(...g.slice(0, k));
    test.push(...g.slice(k));
  }
  train.sort((a, b) => a - b);
  test.sort((a, b) => a - b);
  return [train, test];
}
