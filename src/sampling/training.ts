/**
 * The training data itself as a sampler: rows ready for a model (schema order, no missing values).
 */
import type { Rng } from '../util/rng.js';
import type { Dataset, Row } from '../data/types.js';
import { isMissingCell, rowsOf, tableOf, type DataTable } from '../data/table.js';

/**
 * Every training row with its missing cells filled by a value drawn from the present values of the
 * same column (random hot-deck imputation, seeded): {@link trainingTable} read back as rows.
 *
 * @example
 * const rows = trainingRows(penguins, createRng(42)); // 344 complete rows
 */
export function trainingRows(ds: Dataset, rng: Rng): Row[] {
  return rowsOf(trainingTable(ds.table ?? tableOf(ds.rows, ds.schema.features), rng));
}

/**
 * Rows `t` with every missing cell filled by a value drawn from the present values of the same
 * column (random hot-deck imputation, seeded: row by row, column by column, one draw per missing
 * cell), as a new table. A column without any value fills with 0 (numeric) or its first category.
 *
 * @example
 * const complete = trainingTable(heldOut.train, createRng(42)); // complete.n === heldOut.train.n, nothing missing
 */
export function trainingTable(t: DataTable, rng: Rng): DataTable {
  const pools = t.columns.map((c) => {
    let any = false;
    const present: number[] = [];
    for (let i = 0; i < t.n; i++) {
      if (isMissingCell(c, i)) any = true;
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
      if (!pools[j] || !isMissingCell(columns[j], i)) continue;
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
