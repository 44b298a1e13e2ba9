/**
 * LIME's tabular front end (reference: `LimeTabularExplainer` in `lime_tabular.py`): training
 * statistics, neighbourhood sampling, the interpretable representation and distances. It knows
 * nothing of feature selection or regression; that is the core's job (`base.ts`).
 *
 * Interpretable representation, one column per original feature:
 * - a continuous feature without discretiser: its value scaled by the training mean and standard
 *   deviation;
 * - a categorical feature, or a numeric one with a discretiser: 1 when the neighbour has the
 *   instance's category (bin), else 0.
 * Distances are Euclidean in this representation (binary columns unscaled, as the reference sets
 * their scaler to mean 0, scale 1).
 */
import type { Dataset, Feature, Row, Value } from '../../data/types.js';
import { formatNumber, renderCondition } from '../../rules/render.js';
import type { ConditionT } from '../../rules/schema.js';
import type { Rng } from '../../util/rng.js';
import { binCondition, binOf, fitDiscretizer, type Discretization, type DiscretizerKind } from './discretize.js';
import { normalQuantile, truncatedNormalQuantiles } from '../../sampling/normal.js';

/** Knots of the tabulated quantile function of each bin's truncated normal. */
export const BIN_KNOTS = 512;

/** What LIME learns from the training data once, before explaining any row. */
export interface LimeTabular {
  features: Feature[];
  /** Numeric: training mean (0 for categorical). */
  means: Float64Array;
  /** Numeric: training standard deviation, 1 when it is 0 (1 for categorical). */
  scales: Float64Array;
  /** Categorical: training frequency of each category (null for numeric). */
  frequencies: (Float64Array | null)[];
  /** Bins of numeric features, or null without discretiser. */
  bins: Discretization | null;
  /**
   * Per discretised feature, built once with the bins: cumulative bin frequencies (normalised to 1)
   * and, per bin, the tabulated quantile function of its truncated normal ({@link BIN_KNOTS} + 1
   * values per bin), so that one uniform draw picks the bin and the value inside it.
   */
  binTables: ({ cum: Float64Array; quantiles: Float64Array } | null)[] | null;
  discretizer: DiscretizerKind;
}

/**
 * Fits the training statistics and the discretiser (`labels`: class index per training row, for
 * the entropy discretiser).
 *
 * @example
 * const tab = fitLimeTabular(iris, 'quartile');
 */
export function fitLimeTabular(train: Dataset, discretizer: DiscretizerKind, labels?: ArrayLike<number>): LimeTabular {
  // Fitted statistics depend only on the (immutable) training rows and the discretiser, so repeated
  // calls on the same data set reuse them; entropy cut points also depend on the labels passed.
  const cacheable = discretizer !== 'entropy';
  if (cacheable) {
    const hit = fitted.get(train)?.get(discretizer);
    if (hit && hit.rows === train.rows.length) return hit.tab;
  }
  const tab = fitUncached(train, discretizer, labels);
  if (cacheable) {
    let m = fitted.get(train);
    if (!m) fitted.set(train, (m = new Map()));
    m.set(discretizer, { rows: train.rows.length, tab });
  }
  return tab;
}

const fitted = new WeakMap<Dataset, Map<DiscretizerKind, { rows: number; tab: LimeTabular }>>();

function fitUncached(train: Dataset, discretizer: DiscretizerKind, labels?: ArrayLike<number>): LimeTabular {
  const features = train.schema.features;
  const d = features.length;
  const means = new Float64Array(d);
  const scales = new Float64Array(d).fill(1);
  const frequencies: (Float64Array | null)[] = [];
  features.forEach((f, j) => {
    if (f.type === 'numeric') {
      let n = 0;
      let s = 0;
      for (const r of train.rows) if (typeof r[j] === 'number' && Number.isFinite(r[j])) (n++, (s += r[j] as number));
      const m = n ? s / n : 0;
      let v = 0;
      for (const r of train.rows) if (typeof r[j] === 'number' && Number.isFinite(r[j])) v += ((r[j] as number) - m) ** 2;
      const sd = n ? Math.sqrt(v / n) : 0;
      means[j] = m;
      scales[j] = sd > 0 ? sd : 1;
      frequencies.push(null);
    } else {
      const counts = new Float64Array(f.categories.length);
      const index = new Map(f.categories.map((c, i) => [c, i]));
      for (const r of train.rows) {
        const k = r[j] === null ? undefined : index.get(String(r[j]));
        if (k !== undefined) counts[k]++;
      }
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === 0) counts.fill(1);
      frequencies.push(counts);
    }
  });
  const bins = discretizer === 'none' ? null : fitDiscretizer(train, discretizer, labels);
  const binTables = bins
    ? bins.map((b) => {
        if (!b) return null;
        const cum = cumulative(b.counts.some((c) => c > 0) ? b.counts : b.counts.map(() => 1));
        const total = cum[cum.length - 1];
        for (let k = 0; k < cum.length; k++) cum[k] /= total;
        cum[cum.length - 1] = 1;
        const quantiles = new Float64Array(b.counts.length * (BIN_KNOTS + 1));
        b.counts.forEach((_, k) => quantiles.set(truncatedNormalQuantiles(b.means[k], b.stds[k], b.mins[k], b.maxs[k], BIN_KNOTS), k * (BIN_KNOTS + 1)));
        return { cum, quantiles };
      })
    : null;
  return { features, means, scales, frequencies, bins, binTables, discretizer };
}

/** The explained row as the sampler sees it. */
export interface PreparedInstance {
  /** The row as given (sent to the model as neighbour 0). */
  row: Row;
  /** Values with missing cells imputed (training mean, most frequent category). */
  values: Value[];
  /** Columns that were missing. */
  imputed: string[];
  /** Per column: category index, bin index, or -1 (continuous or unknown category). */
  codes: Int32Array;
  /** Row 0 of the interpretable representation. */
  first: Float64Array;
  /** Per column: the interpretable feature as a condition (null: continuous) and its text (saying "is missing" for a missing column). */
  conditions: { condition: ConditionT | null; text: string }[];
}

/**
 * Prepares a row for sampling: imputation, its bins/categories, its representation and conditions.
 *
 * @example
 * const inst = prepareInstance(tab, [5.1, 3.5, 1.4, 0.2]);
 * inst.conditions[0].text; // 'sepal_length <= 5.1' (renderCondition, as every condition the toolkit prints)
 */
export function prepareInstance(tab: LimeTabular, row: Row): PreparedInstance {
  const d = tab.features.length;
  const values: Value[] = [];
  const imputed: string[] = [];
  const codes = new Int32Array(d).fill(-1);
  const first = new Float64Array(d);
  const conditions: { condition: ConditionT | null; text: string }[] = [];
  tab.features.forEach((f, j) => {
    const v = row[j];
    if (f.type === 'numeric') {
      let x = typeof v === 'number' && Number.isFinite(v) ? v : NaN;
      if (Number.isNaN(x)) {
        x = tab.means[j];
        imputed.push(f.name);
      }
      values.push(x);
      const b = tab.bins?.[j];
      const missing = imputed.at(-1) === f.name;
      if (b) {
        codes[j] = binOf(b.cuts, x);
        first[j] = 1;
        const c = binCondition(f.name, b.cuts, codes[j]);
        conditions.push({ condition: c, text: missing ? missingText(f.name, renderCondition(c)) : renderCondition(c) });
      } else {
        first[j] = (x - tab.means[j]) / tab.scales[j];
        conditions.push({ condition: null, text: missing ? missingText(f.name, `the mean ${formatNumber(x)}`) : f.name });
      }
    } else {
      let s = v === null || v === undefined ? null : String(v);
      const missing = s === null;
      if (s === null) {
        const fr = tab.frequencies[j]!;
        let best = 0;
        for (let k = 1; k < fr.length; k++) if (fr[k] > fr[best]) best = k;
        s = f.categories[best] ?? '';
        imputed.push(f.name);
      }
      values.push(s);
      codes[j] = f.categories.indexOf(s);
      first[j] = 1;
      const c: ConditionT = { type: 'eq', feature: f.name, value: s };
      conditions.push({ condition: c, text: missing ? missingText(f.name, renderCondition(c)) : renderCondition(c) });
    }
  });
  return { row, values, imputed, codes, first, conditions };
}

/**
 * The text of the interpretable feature of a column that was missing in the row: it says so, and
 * what the neighbours were compared with in its place (the imputed bin, category or mean).
 *
 * @example
 * missingText('workclass', 'workclass = Private'); // 'workclass is missing (imputed: workclass = Private)'
 */
function missingText(feature: string, imputed: string): string {
  return `${feature} is missing (imputed: ${imputed})`;
}

/** A sampled neighbourhood. */
export interface TabularSample {
  /** `n × d` interpretable representation; row 0 is the instance. */
  data: Float64Array;
  /** The same neighbours as raw rows for the model; row 0 is the instance as given. */
  rows: Row[];
  /** Euclidean distance of each row's representation to row 0's. */
  distances: Float64Array;
  n: number;
  d: number;
}

export interface SampleOptions {
  /** Centre of the Gaussian for continuous features (default `mean`, as the reference). */
  sampleAround?: 'mean' | 'instance';
  /** Standard normal draws (default) or a Latin hypercube. */
  sampling?: 'gaussian' | 'lhs';
}

/**
 * Draws `n` neighbours of a prepared instance (row 0 is the instance itself): continuous features
 * from N(training mean or instance value, training std) (or a Latin hypercube mapped through the
 * normal quantile); categorical features by training frequency; with a discretiser, numeric
 * features by bin frequency and then a value inside the bin from the normal of the bin's training
 * mean and std truncated to the bin's bounds.
 *
 * @example
 * const s = sampleNeighbourhood(tab, inst, 5000, createRng(42));
 */
export function sampleNeighbourhood(tab: LimeTabular, inst: PreparedInstance, n: number, rng: Rng, opts: SampleOptions = {}): TabularSample {
  const d = tab.features.length;
  const data = new Float64Array(n * d);
  data.set(inst.first, 0);
  const rows: Row[] = new Array(n);
  rows[0] = inst.row.slice();
  const around = opts.sampleAround === 'instance';
  // per-column plan: 0 continuous, 1 discretised numeric, 2 categorical
  const kind = new Int8Array(d);
  const scale = new Float64Array(d);
  const centre = new Float64Array(d);
  const shift = new Float64Array(d);
  const code = inst.codes;
  const cums: (Float64Array | null)[] = new Array(d).fill(null);
  const quants: (Float64Array | null)[] = new Array(d).fill(null);
  const cats: (string[] | null)[] = new Array(d).fill(null);
  const lhs: (Float64Array | null)[] = new Array(d).fill(null);
  for (let j = 0; j < d; j++) {
    const f = tab.features[j];
    if (f.type === 'numeric' && !tab.bins?.[j]) {
      kind[j] = 0;
      scale[j] = tab.scales[j];
      centre[j] = around ? (inst.values[j] as number) : tab.means[j];
      shift[j] = (centre[j] - tab.means[j]) / tab.scales[j];
      if (opts.sampling === 'lhs') latinColumn((lhs[j] = new Float64Array(n)), n, rng);
    } else if (f.type === 'numeric') {
      kind[j] = 1;
      cums[j] = tab.binTables![j]!.cum;
      quants[j] = tab.binTables![j]!.quantiles;
    } else {
      kind[j] = 2;
      const c = cumulative(tab.frequencies[j]!);
      const total = c[c.length - 1];
      for (let k = 0; k < c.length; k++) c[k] /= total;
      c[c.length - 1] = 1;
      cums[j] = c;
      cats[j] = f.categories;
    }
  }
  const K = BIN_KNOTS;
  // Every cell of a neighbour is written below. Each starts as a copy of the instance's values
  // (built by push, so V8 holds a row of numbers as unboxed doubles): a row made by `new Array(d)`
  // changes its storage on the first number written, and stores each number boxed where the
  // rows reaching this loop differ in storage (as rows cloned into a worker thread do).
  const template = inst.values;
  // row by row (row-major writes); each cell's draw depends only on the generator's stream
  for (let i = 1; i < n; i++) {
    const r: Row = template.slice();
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const kj = kind[j];
      if (kj === 0) {
        // continuous: z ~ N(0, 1) (or the LHS column), value = z·std + centre, representation = (value − mean)/std
        const col = lhs[j];
        const z = col ? col[i] : rng.normal();
        data[o + j] = z + shift[j];
        r[j] = z * scale[j] + centre[j];
      } else {
        // one uniform u picks the bin/category k (cum[k−1] <= u < cum[k]); for a bin, u's position
        // inside the bin's probability mass indexes its tabulated truncated-normal quantiles
        const cum = cums[j]!;
        const last = cum.length - 1;
        const u = rng.uniform();
        let k = 0;
        while (k < last && u >= cum[k]) k++;
        data[o + j] = k === code[j] ? 1 : 0;
        if (kj === 2) r[j] = cats[j]![k];
        else {
          const q = quants[j]!;
          const lo = k === 0 ? 0 : cum[k - 1];
          const t = ((u - lo) / (cum[k] - lo)) * K;
          const m = t | 0;
          const base = k * (K + 1) + m;
          r[j] = m >= K ? q[base] : q[base] + (t - m) * (q[base + 1] - q[base]);
        }
      }
    }
    rows[i] = r;
  }
  const distances = new Float64Array(n);
  const first = inst.first;
  for (let i = 1; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const t = data[o + j] - first[j];
      s += t * t;
    }
    distances[i] = Math.sqrt(s);
  }
  return { data, rows, distances, n, d };
}

/** Latin hypercube column: one uniform draw per stratum in shuffled order, mapped to N(0, 1). */
function latinColumn(col: Float64Array, n: number, rng: Rng): void {
  const m = n - 1;
  const perm = rng.shuffle(Array.from({ length: m }, (_, i) => i));
  for (let i = 1; i < n; i++) col[i] = normalQuantile((perm[i - 1] + rng.uniform()) / m);
}

function cumulative(w: ArrayLike<number>): Float64Array {
  const c = new Float64Array(w.length);
  let s = 0;
  for (let i = 0; i < w.length; i++) c[i] = s += w[i];
  return c;
}

/** Kernel width used when none is given: 0.75·sqrt(number of features), as the reference. */
export function defaultKernelWidth(features: number): number {
  return 0.75 * Math.sqrt(features);
}
