/**
 * The training data itself as a sampler: rows ready for a model (schema order, no missing values).
 */
import type { Rng } from '../util/rng.js';
import type { Dataset, Row } from '../data/types.js';

/**
 * Every training row with its missing cells filled by a value drawn from the present values of the
 * same column (random hot-deck imputation, seeded). A column without any value fills with 0 (numeric)
 * or its first category.
 *
 * @example
 * const rows = trainingRows(penguins, createRng(42)); // 344 complete rows
 */
export function trainingRows(ds: Dataset, rng: Rng): Row[] {
  const pools = ds.schema.features.map((_, j) => {
    let any = false;
    for (const r of ds.rows) if (r[j] === null) { any = true; break; }
    return any ? ds.rows.map((r) => r[j]).filter((v) => v !== null) : null;
  });
  const fallback = ds.schema.features.map((f) => (f.type === 'numeric' ? 0 : (f.categories[0] ?? '')));
  return ds.rows.map((r) =>
    r.map((v, j) => {
      if (v !== null) return v;
      const pool = pools[j]!;
      return pool.length ? pool[rng.int(pool.length)] : fallback[j];
    }),
  );
}

/**
 * `n` complete training rows ({@link trainingRows}): drawn without replacement when `n` does not
 * exceed the data, otherwise every row once plus the rest drawn with replacement.
 *
 * @example
 * sampleTraining(iris, 100, createRng(7)).length; // 100
 */
export function sampleTraining(ds: Dataset, n: number, rng: Rng): Row[] {
  const rows = trainingRows(ds, rng);
  if (rows.length === 0) return [];
  const idx = rng.shuffle(rows.map((_, i) => i));
  const out: Row[] = [];
  for (let i = 0; i < n; i++) out.push(rows[i < idx.length ? idx[i] : rng.int(rows.length)].slice());
  return out;
}
