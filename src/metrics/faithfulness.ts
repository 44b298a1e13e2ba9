/**
 * Faithfulness of a local attribution to the model at its row, measured from seeded samples:
 *
 * - **Sensitivity-n** (Ancona, Ceolini, Öztireli, Gross 2018, "Towards better understanding of
 *   gradient-based attribution methods for deep neural networks"): over random subsets S of n
 *   columns, the Pearson correlation between Σ_{j∈S} a_j and f(x) − f(x with S set to the
 *   baseline). An attribution that sums to the output change for every subset scores 1; one whose
 *   values are shuffled across columns scores near 0. Measured for n = 1, 2 and ⌈d/4⌉.
 * - **Deletion curve** (Petsiuk, Das, Saenko 2018, RISE): columns set to the baseline one at a time
 *   in decreasing order of |a_j|; the area under the explained output over the share removed,
 *   beside the same area for random orders. A faithful ranking removes what matters first, so its
 *   area is below the random one's when the output falls as evidence is removed.
 *
 * @example
 * const [f] = await measureFaithfulness(model, [{ row, rowId: 3, output: 1, attributions }], baseline, { seed: 42 });
 * f.sensitivityN[0]; // { n: 1, subsets: 32, correlation: 0.99 }
 */
import { sampleCorrelation } from 'simple-statistics';
import type { Row } from '../data/types.js';
import type { FaithfulnessT } from '../local/schema.js';
import { maskedMeans, prepareReferences } from '../model/maskedMeans.js';
import type { TabularModel } from '../model/types.js';
import { createRng, substream } from '../util/rng.js';

/** One attribution to score: the row, which output it explains, a value per column (schema order). */
export interface FaithfulnessItem {
  row: Row;
  /** Index of the row in its data: the key of its random stream. */
  rowId: number;
  /** Output column explained (the class index; 0 for regression). */
  output: number;
  attributions: ArrayLike<number>;
}

export interface FaithfulnessOptions {
  seed: number;
  /** Random subsets per n (default 32). */
  subsets?: number;
  /** Random orders the deletion curve is compared with (default 8). */
  randomOrders?: number;
  /** What the baseline is, recorded with each result (default "baseline"). */
  baselineName?: string;
  /** Rows sent to the model per call at most (default `maskedBatchRows(model)`, as SHAP's). */
  batchRows?: number;
}

/** The subset sizes Sensitivity-n is measured at for `d` columns: 1, 2 and ⌈d/4⌉, each at most d. */
export function sensitivitySizes(d: number): number[] {
  return [...new Set([1, 2, Math.ceil(d / 4)].filter((n) => n >= 1 && n <= d))].sort((a, b) => a - b);
}

interface Plan {
  item: FaithfulnessItem;
  sizes: number[];
  /** Per size, the subsets drawn. */
  subsets: number[][][];
  order: number[];
  randomOrders: number[][];
  /** The rows evaluated, as masks over x (`count × d` flags): x, the subset rows, the deletion path, the random paths. */
  masks: Uint8Array;
  count: number;
}

/**
 * Scores each item's attributions against `model` (one batched model call per chunk of items).
 * Each item's random choices come from its own stream (seed and row id), so a row scores the same
 * whichever rows are scored with it.
 *
 * @throws whatever the model throws.
 */
export async function measureFaithfulness(model: TabularModel, items: readonly FaithfulnessItem[], baseline: Row, opts: FaithfulnessOptions): Promise<FaithfulnessT[]> {
  const S = opts.subsets ?? 32;
  const R = opts.randomOrders ?? 8;
  const plans = items.map((item) => plan(item, S, R, opts.seed));
  // Each evaluated row is the item's row with some columns taken from the baseline: a mask over
  // one reference row, evaluated as SHAP's and occlusion's are (no row array per evaluation).
  const values = await maskedMeans(
    model,
    plans.map((p) => ({ x: p.item.row, masks: p.masks, count: p.count, output: p.item.output })),
    prepareReferences(model, [baseline]),
    { batchRows: opts.batchRows },
  );
  return plans.map((p, k) => score(p, (i) => values[k][i], S, R, opts.baselineName ?? 'baseline'));
}

function plan(item: FaithfulnessItem, S: number, R: number, seed: number): Plan {
  const d = item.row.length;
  const rng = createRng(substream(seed, 'faithfulness', item.rowId));
  const sizes = sensitivitySizes(d);
  const count = 1 + sizes.length * S + d * (1 + R);
  // Row t keeps x's value in column j where masks[t·d + j] is 1; row 0 is x itself.
  const masks = new Uint8Array(count * d).fill(1);
  let t = 1;
  const remove = (cols: readonly number[]) => {
    for (const j of cols) masks[t * d + j] = 0;
    t++;
  };
  const subsets = sizes.map((n) => {
    const drawn: number[][] = [];
    for (let s = 0; s < S; s++) {
      const idx = Array.from({ length: d }, (_, j) => j);
      // Partial Fisher-Yates: the first n entries are a uniform random n-subset.
      for (let i = 0; i < n; i++) {
        const j = i + rng.int(d - i);
        [idx[i], idx[j]] = [idx[j], idx[i]];
      }
      const cols = idx.slice(0, n).sort((a, b) => a - b);
      drawn.push(cols);
      remove(cols);
    }
    return drawn;
  });
  const a = item.attributions;
  const order = Array.from({ length: d }, (_, j) => j).sort((i, j) => Math.abs(a[j]) - Math.abs(a[i]) || i - j);
  const path = (ord: number[]) => {
    for (let k = 1; k <= d; k++) remove(ord.slice(0, k));
  };
  path(order);
  const randomOrders: number[][] = [];
  for (let r = 0; r < R; r++) {
    const ord = rng.shuffle(Array.from({ length: d }, (_, j) => j));
    randomOrders.push(ord);
    path(ord);
  }
  return { item, sizes, subsets, order, randomOrders, masks, count };
}

function score(p: Plan, f: (i: number) => number, S: number, R: number, baselineName: string): FaithfulnessT {
  const a = p.item.attributions;
  const d = p.item.row.length;
  const fx = f(0);
  let at = 1;
  const sensitivityN = p.sizes.map((n, si) => {
    const sums: number[] = [];
    const deltas: number[] = [];
    for (const cols of p.subsets[si]) {
      let s = 0;
      for (const j of cols) s += a[j];
      sums.push(s);
      deltas.push(fx - f(at++));
    }
    return { n, subsets: S, correlation: correlation(sums, deltas) };
  });
  const area = () => {
    let prev = fx;
    let sum = 0;
    for (let k = 1; k <= d; k++) {
      const v = f(at++);
      sum += (prev + v) / 2;
      prev = v;
    }
    return { auc: sum / d, last: prev };
  };
  const main = area();
  let randomSum = 0;
  for (let r = 0; r < R; r++) randomSum += area().auc;
  const randomAuc = R ? randomSum / R : main.auc;
  const span = fx - main.last;
  return {
    baseline: baselineName,
    sensitivityN,
    deletion: d > 0 ? { steps: d, auc: main.auc, randomAuc, randomOrders: Math.max(1, R), normalized: Math.abs(span) > 1e-12 ? (main.auc - randomAuc) / span : null } : null,
  };
}

/** Pearson correlation, null when either side does not vary (or too few pairs). */
function correlation(x: number[], y: number[]): number | null {
  if (x.length < 3) return null;
  const spread = (v: number[]) => Math.max(...v) - Math.min(...v);
  if (spread(x) <= 1e-12 * Math.max(1, Math.abs(x[0])) || spread(y) <= 1e-12 * Math.max(1, Math.abs(y[0]))) return null;
  const r = sampleCorrelation(x, y);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
}
