/**
 * The tabular side of Anchors: the predicates of one row (its quartile or decile bin of each
 * numeric column, its category of each categorical one), which predicates hold on each data row,
 * and the two ways of drawing rows under an anchor A:
 *
 * - `data` (the paper's D(·|A), Ribeiro et al. 2018, §3): rows of the data that satisfy every
 *   predicate of A, drawn without replacement, so that the columns keep their dependence (a large
 *   `radius_worst` comes with the large `area_worst` it has in the data). The model labels each
 *   data row at most once per explanation batch.
 * - `independent`: random data rows whose anchored columns, where they fall outside the row's bin
 *   or category, are replaced by the value of another random row inside it (the reference
 *   implementation's sampler): the anchored columns lose their dependence on the others.
 */
import type { Dataset, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import type { ConditionT } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import type { Rng } from '../../util/rng.js';
import { binCondition, binOf, fitDiscretizer } from '../lime/discretize.js';
import type { AnchorSampler } from './beam.js';

/** The tabular sampling machinery behind `explainAnchors`, exposed for measuring anchors independently. */
export interface AnchorTabular {
  /** Per predicate: its feature's column and the condition it stands for. */
  predicates: { column: number; condition: ConditionT }[];
  /** Which predicates hold on each data row (`rows × predicates`, row-major). */
  holds: Uint8Array;
  /** Number of data rows. */
  rows: number;
  /** Indices of the data rows where every predicate of `anchor` holds, ascending. */
  pool(anchor: readonly number[]): Int32Array;
  /** Rows drawn by the `independent` sampler: data rows with the anchored columns moved into the row's bins. */
  draw(anchor: readonly number[], n: number, rng: Rng): Row[];
  /** Whether value `x` satisfies predicate `p`. */
  satisfies(p: number, x: Row[number]): boolean;
}

/**
 * Builds the predicates of `row` and what the samplers need.
 *
 * @throws InputError when `train` has no rows.
 * @example
 * const at = anchorTabular(iris, iris.rows[0]); at.predicates.map((p) => p.condition); at.pool([0]).length;
 */
export function anchorTabular(train: Dataset, row: Row, discretizer: 'quartile' | 'decile' = 'quartile'): AnchorTabular {
  const features = train.schema.features;
  const N = train.rows.length;
  if (N === 0) throw new InputError('anchors need training rows to sample from', { file: train.source });
  const bins = fitDiscretizer(train, discretizer);
  const predicates: { column: number; condition: ConditionT }[] = [];
  features.forEach((f, j) => {
    const v = row[j];
    if (v === null || v === undefined) return;
    if (f.type === 'numeric') {
      if (typeof v !== 'number' || !Number.isFinite(v)) return;
      const b = bins[j]!;
      predicates.push({ column: j, condition: binCondition(f.name, b.cuts, binOf(b.cuts, v)) });
    } else predicates.push({ column: j, condition: { type: 'eq', feature: f.name, value: String(v) } });
  });
  const satisfies = (p: number, x: Row[number]) => {
    const c = predicates[p].condition;
    if (x === null || x === undefined) return false;
    if (c.type === 'eq') return String(x) === c.value;
    const v = x as number;
    if (c.type === 'le') return v <= c.threshold;
    if (c.type === 'gt') return v > c.threshold;
    if (c.type === 'interval') return (c.low === null || v > c.low) && (c.high === null || v <= c.high);
    return false;
  };
  const P = predicates.length;
  const holds = new Uint8Array(N * P);
  // per predicate: the rows where it holds (the values the independent sampler draws from)
  const inside: number[][] = predicates.map(() => []);
  for (let i = 0; i < N; i++) {
    const r = train.rows[i];
    for (let p = 0; p < P; p++) {
      if (!satisfies(p, r[predicates[p].column])) continue;
      holds[i * P + p] = 1;
      inside[p].push(i);
    }
  }
  const pools = new Map<string, Int32Array>();
  const pool = (anchor: readonly number[]): Int32Array => {
    const key = [...anchor].sort((a, b) => a - b).join(',');
    let out = pools.get(key);
    if (!out) {
      const idx: number[] = [];
      for (let i = 0; i < N; i++) if (anchor.every((p) => holds[i * P + p])) idx.push(i);
      out = Int32Array.from(idx);
      pools.set(key, out);
    }
    return out;
  };
  return {
    predicates,
    holds,
    rows: N,
    pool,
    draw(anchor, n, rng) {
      const out: Row[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const r = train.rows[rng.int(N)].slice();
        for (const p of anchor) {
          const j = predicates[p].column;
          if (satisfies(p, r[j])) continue;
          const opts = inside[p];
          r[j] = opts.length ? train.rows[opts[rng.int(opts.length)]][j] : row[j];
        }
        out[i] = r;
      }
      return out;
    },
    satisfies,
  };
}

/**
 * The model's class for data rows, each labelled once (by index), in one query per batch of new
 * rows. Shared by the explanations of several rows of the same data.
 */
export class RowLabels {
  private readonly labels: Int32Array;

  constructor(
    private readonly model: TabularModel,
    private readonly data: Dataset,
  ) {
    this.labels = new Int32Array(data.rows.length).fill(-1);
  }

  /** The classes of `rows` (data row indices). */
  async of(rows: readonly number[]): Promise<Int32Array> {
    const missing = [...new Set(rows.filter((i) => this.labels[i] < 0))];
    if (missing.length) {
      const got = await this.model.predictLabels(missing.map((i) => this.data.rows[i]));
      missing.forEach((i, k) => (this.labels[i] = got[k]));
    }
    return Int32Array.from(rows, (i) => this.labels[i]);
  }
}

/**
 * The `data` sampler, D(·|A): for each anchor, its pool of data rows in a seeded random order,
 * handed out without replacement; the explained row itself stands in for an empty pool.
 *
 * @param instanceLabel the model's class for the explained row (used when no data row satisfies the anchor)
 */
export function dataSampler(at: AnchorTabular, labels: RowLabels, label: number, instanceLabel: number, coverage: AnchorSampler['coverage'], rng: Rng): AnchorSampler {
  const order = new Map<string, { rows: Int32Array; next: number }>();
  return {
    predicates: at.predicates.length,
    coverage,
    async sample(requests) {
      const taken = requests.map((q) => {
        const key = [...q.anchor].sort((a, b) => a - b).join(',');
        let o = order.get(key);
        if (!o) {
          const pool = at.pool(q.anchor);
          // the explained row satisfies every predicate of its own anchors: an empty pool is that row (index -1)
          const rows = pool.length ? Int32Array.from(rng.shuffle(Array.from(pool))) : Int32Array.of(-1);
          o = { rows, next: 0 };
          order.set(key, o);
        }
        const part = o.rows.subarray(o.next, Math.min(o.rows.length, o.next + q.n));
        o.next += part.length;
        return part;
      });
      const flat = taken.flatMap((t) => Array.from(t).filter((i) => i >= 0));
      const got = await labels.of(flat);
      const byRow = new Map<number, number>();
      flat.forEach((i, k) => byRow.set(i, got[k]));
      return taken.map((t) => Uint8Array.from(t, (i) => ((i < 0 ? instanceLabel : byRow.get(i)!) === label ? 1 : 0)));
    },
  };
}

/** The `independent` sampler: rows from {@link AnchorTabular.draw}, labelled by the model in one query per call. */
export function independentSampler(at: AnchorTabular, model: TabularModel, label: number, coverage: AnchorSampler['coverage'], rng: Rng): AnchorSampler {
  return {
    predicates: at.predicates.length,
    coverage,
    async sample(requests) {
      const drawn = requests.map((q) => at.draw(q.anchor, q.n, rng));
      const got = await model.predictLabels(drawn.flat());
      let o = 0;
      return drawn.map((rows) => {
        const positive = new Uint8Array(rows.length);
        for (let i = 0; i < rows.length; i++) positive[i] = got[o + i] === label ? 1 : 0;
        o += rows.length;
        return positive;
      });
    },
  };
}

/**
 * Which predicates hold on the rows coverage is counted on: every data row, or a seeded subset
 * of `max` of them when the data has more.
 */
export function coverageRows(at: AnchorTabular, max: number, rng: Rng): AnchorSampler['coverage'] {
  const P = at.predicates.length;
  if (at.rows <= max) return { holds: at.holds, rows: at.rows };
  const pick = rng.shuffle(Array.from({ length: at.rows }, (_, i) => i)).slice(0, max).sort((a, b) => a - b);
  const holds = new Uint8Array(max * P);
  pick.forEach((i, k) => holds.set(at.holds.subarray(i * P, (i + 1) * P), k * P));
  return { holds, rows: max };
}
