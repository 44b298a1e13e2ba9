/**
 * The training data itself as a sampler: rows ready for a model (schema order, no missing values).
 */
import type { Rng } from '../util/rng.js';
import type { Dataset, Row } from '../data/types.js';
import type { DataTable } from '../data/table.js';

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
 * {@link trainingRows} for a dataset held column by column (`ds.table`): the same hot-deck
 * imputation, with the same draws from `rng` in the same order (row by row, column by column), into
 * a copy of the table.
 *
 * @example
 * const complete = trainingTable(train, createRng(42)); // complete.n === train.table.n
 */
export function trainingTable(ds: Dataset & { table: DataTable }, rng: Rng): DataTable {
  const t = ds.table;
  const missing = (c: Float64Array | Int32Array, i: number) => (c instanceof Float64Array ? Number.isNaN(c[i]) : c[i] < 0);
  const pools = t.columns.map((c) => {
    let any = false;
    const present: number[] = [];
    for (let i = 0; i < t.n; i++) {
      if (missing(c, i)) any = true;
      else present.push(c[i]);
    }
    return any ? present : null;
  });
  // A column without any value fills with 0 or the code of its first category ('' without one).
  const levels = t.levels.map((l) => l?.slice() ?? null);
  const fallback = t.features.map((f, j) => {
    if (f.type === 'numeric') return 0;
    const first = f.categories[0] ?? '';
    const k = levels[j]!.indexOf(first);
    return k >= 0 ? k : levels[j]!.push(first) - 1;
  });
  const columns = t.columns.map((c) => c.slice());
  for (let i = 0; i < t.n; i++) {
    for (let j = 0; j < columns.length; j++) {
      if (!pools[j] || !missing(columns[j], i)) continue;
      const pool = pools[j]!;
      columns[j][i] = pool.length ? pool[rng.int(pool.length)] : fallback[j];
    }
  }
  return { n: t.n, features: t.features, columns, levels };
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
