/**
 * The binary inputs MofN reads the first layer over: one bit per category of a categorical column
 * (its one-hot input), and for a numeric column one bit per cut point (`x > t`). Cut points of a
 * numeric column come from the network where it says them: a first-layer unit whose net input is
 * dominated by that one column is a threshold on it (where the net input crosses zero, the other
 * inputs at their sample means). Columns no unit is dominated by are cut against the network's
 * labels (Fayyad & Irani's MDL cut points); a column with two values is cut between them.
 * Each encoded input is then a step function of its column's bits, so the first layer's weights
 * carry over to the bits exactly on the bins' representative values.
 */
import type { Row } from '../../data/types.js';
import type { EncodedColumn } from '../../data/index.js';
import type { DenseLayer } from '../../model/types.js';
import { mdlCutPoints, type Decomposition } from '../decompositional/index.js';
import type { MofNExpr } from './mofn-expression.js';

/** One original column as the binary inputs see it. */
export type ColumnDomain =
  | { feature: string; kind: 'cat'; categories: string[]; bits: number[] }
  | {
      feature: string;
      kind: 'num';
      /** Raw cut points, ascending: bin `b` is `cuts[b-1] < x <= cuts[b]` (bins 0..cuts.length). */
      cuts: number[];
      /** The bit of each cut point (`x > cuts[i]`). */
      bits: number[];
      /** Where the cut points come from. */
      source: 'units' | 'mdl' | 'two values' | 'none';
    };

export interface InputBits {
  domains: ColumnDomain[];
  /** Per bit: its column (index into `domains`) and the category or cut index it tests. */
  bits: { domain: number; value: number }[];
  /** `n × bits.length` bit matrix of the sample. */
  x: Uint8Array;
  /** `n × domains.length`: per sample row and column, the category index or bin (-1: missing or unknown). */
  cells: Int32Array;
  /** The raw-column test each bit stands for (the bit is 1). */
  literals: MofNExpr[];
  /**
   * The first layer's view of its inputs: encoded input `j` is `base + Σ delta · bit` over its
   * column's bits (exact for one-hot inputs; numeric inputs take each bin's mean encoded value).
   */
  coding: { base: number; terms: { bit: number; delta: number }[] }[];
}

/** Options of the discretisation. */
export interface InputBitsOptions {
  /** A unit is a threshold on one numeric column when that column spans at least this share of the unit's net-input range. */
  dominance: number;
  /** Most cut points per numeric column taken from the data (MDL). */
  maxCuts: number;
}

/** Range of an encoded input over the sample. */
function spanOf(x: Float64Array, p: number, n: number, j: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    const v = x[r * p + j];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Raw value of a numeric encoded input. */
function rawOf(col: Extract<EncodedColumn, { kind: 'numeric' }>, z: number): number {
  return col.standardize ? z * (col.std || 1) + col.mean : z;
}

/**
 * Per first-layer unit dominated by one numeric column, the raw threshold where its net input
 * crosses zero (other inputs at their sample means); grouped by column.
 */
function unitThresholds(d: Decomposition, first: DenseLayer, dominance: number): Map<number, number[]> {
  const p = d.columns.length;
  const n = d.sample.length;
  const mean = new Float64Array(p);
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) mean[j] += d.x[r * p + j] / n;
  const spans = d.columns.map((_, j) => spanOf(d.x, p, n, j));
  // inputs grouped by original column (one-hot groups count as one column)
  const groups = new Map<number, number[]>();
  d.columns.forEach((c, j) => groups.set(c.column, [...(groups.get(c.column) ?? []), j]));
  const out = new Map<number, number[]>();
  for (let u = 0; u < first.outputSize; u++) {
    const w = (j: number) => first.weights[j * first.outputSize + u];
    let total = 0;
    let best = -1;
    let bestRange = 0;
    for (const [column, js] of groups) {
      let range: number;
      if (d.columns[js[0]].kind === 'numeric') range = Math.abs(w(js[0])) * (spans[js[0]][1] - spans[js[0]][0]);
      else {
        const ws = js.map(w);
        range = Math.max(...ws) - Math.min(...ws);
      }
      total += range;
      if (range > bestRange && d.columns[js[0]].kind === 'numeric') {
        bestRange = range;
        best = column;
      }
    }
    if (best < 0 || total === 0 || bestRange < dominance * total) continue;
    const j = groups.get(best)![0];
    let rest = first.biases[u];
    for (let i = 0; i < p; i++) if (i !== j) rest += w(i) * mean[i];
    const z = -rest / w(j);
    if (!(z > spans[j][0] && z < spans[j][1])) continue; // the unit does not switch within the data
    const col = d.columns[j] as Extract<EncodedColumn, { kind: 'numeric' }>;
    out.set(best, [...(out.get(best) ?? []), Number(rawOf(col, z).toPrecision(7))]);
  }
  return out;
}

/** Sorted cut points with near-duplicates (closer than `tol`) averaged. */
function mergeCuts(cuts: number[], tol: number): number[] {
  const s = [...cuts].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const c of s) {
    const last = out[out.length - 1];
    if (last && c - last[last.length - 1] <= tol) last.push(c);
    else out.push([c]);
  }
  return out.map((g) => Number((g.reduce((a, b) => a + b, 0) / g.length).toPrecision(7)));
}

function rawValue(row: Row, f: number): number {
  const v = row[f];
  return typeof v === 'number' ? v : v === null || v === undefined ? NaN : Number(v);
}

/**
 * The binary inputs of the first layer on the decomposition's sample (see the module comment).
 *
 * @example
 * const ib = inputBits(d, { dominance: 0.5, maxCuts: 4 });
 * ib.domains[0]; // { feature: 'x0', kind: 'num', cuts: [0.5], bits: [0], source: 'units' }
 */
export function inputBits(d: Decomposition, opts: InputBitsOptions): InputBits {
  const n = d.sample.length;
  const p = d.columns.length;
  const featureIndex = new Map(d.features.map((f, i) => [f.name, i]));
  const byColumn = new Map<number, number[]>();
  d.columns.forEach((c, j) => byColumn.set(c.column, [...(byColumn.get(c.column) ?? []), j]));
  const fromUnits = unitThresholds(d, d.net.layers[0], opts.dominance);
  const domains: ColumnDomain[] = [];
  const bits: InputBits['bits'] = [];
  const literals: MofNExpr[] = [];
  const columnDomain = new Map<number, number>();
  for (const [column, js] of [...byColumn.entries()].sort((a, b) => a[0] - b[0])) {
    const first = d.columns[js[0]];
    const di = domains.length;
    columnDomain.set(column, di);
    if (first.kind === 'onehot') {
      const categories = js.map((j) => (d.columns[j] as Extract<EncodedColumn, { kind: 'onehot' }>).category);
      const bs = categories.map((category, c) => {
        bits.push({ domain: di, value: c });
        literals.push({ k: 'lit', c: { type: 'eq', feature: first.feature, value: category } });
        return bits.length - 1;
      });
      domains.push({ feature: first.feature, kind: 'cat', categories, bits: bs });
      continue;
    }
    const f = featureIndex.get(first.feature)!;
    const values = Float64Array.from(d.sample, (r) => rawValue(r, f));
    const seen = new Set<number>();
    for (const v of values) if (!Number.isNaN(v) && seen.size <= 2) seen.add(v);
    let cuts: number[];
    let source: Extract<ColumnDomain, { kind: 'num' }>['source'];
    if (seen.size <= 1) {
      cuts = [];
      source = 'none';
    } else if (seen.size === 2) {
      const [a, b] = [...seen].sort((x, y) => x - y);
      cuts = [(a + b) / 2];
      source = 'two values';
    } else if (fromUnits.has(column)) {
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of values) if (!Number.isNaN(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
      cuts = mergeCuts(fromUnits.get(column)!, (hi - lo) * 0.01);
      source = 'units';
    } else {
      cuts = mdlCutPoints(values, d.labels, Math.max(2, d.classes.length), opts.maxCuts).map((c) => Number(c.toPrecision(7)));
      source = 'mdl';
    }
    const bs = cuts.map((t, i) => {
      bits.push({ domain: di, value: i });
      literals.push({ k: 'lit', c: { type: 'gt', feature: first.feature, threshold: t } });
      return bits.length - 1;
    });
    domains.push({ feature: first.feature, kind: 'num', cuts, bits: bs, source });
  }

  const { x, cells } = rowBits({ domains, bits }, d.sample, d.features.map((f) => f.name));
  // encoded input j as a step function of its column's bits
  const coding: InputBits['coding'] = d.columns.map((col, j) => {
    const dom = domains[columnDomain.get(col.column)!];
    if (col.kind === 'onehot' && dom.kind === 'cat') return { base: 0, terms: [{ bit: dom.bits[dom.categories.indexOf(col.category)], delta: 1 }] };
    if (dom.kind !== 'num') throw new Error('inputBits: column kinds disagree');
    const bins = dom.cuts.length + 1;
    const sum = new Float64Array(bins);
    const cnt = new Float64Array(bins);
    const di = domains.indexOf(dom);
    for (let r = 0; r < n; r++) {
      const b = cells[r * domains.length + di];
      if (b < 0) continue;
      sum[b] += d.x[r * p + j];
      cnt[b]++;
    }
    const rep = Array.from({ length: bins }, (_, b) => {
      if (cnt[b] > 0) return sum[b] / cnt[b];
      // an empty bin: its cut point, encoded
      const c = dom.cuts[Math.min(b, dom.cuts.length - 1)];
      return col.kind === 'numeric' && col.standardize ? (c - col.mean) / (col.std || 1) : c;
    });
    return { base: rep[0], terms: dom.cuts.map((_, i) => ({ bit: dom.bits[i], delta: rep[i + 1] - rep[i] })) };
  });
  return { domains, bits, x, cells, literals, coding };
}

/**
 * The bits and cells (category index or bin per column, -1 for missing) of any rows in the
 * model's feature order.
 *
 * @param names the rows' feature names, in order
 */
export function rowBits(ib: Pick<InputBits, 'domains' | 'bits'>, rows: readonly Row[], names: readonly string[]): { x: Uint8Array; cells: Int32Array } {
  const n = rows.length;
  const q = ib.bits.length;
  const D = ib.domains.length;
  const x = new Uint8Array(n * q);
  const cells = new Int32Array(n * D).fill(-1);
  ib.domains.forEach((dom, di) => {
    const f = names.indexOf(dom.feature);
    const index = dom.kind === 'cat' ? new Map(dom.categories.map((c, k) => [c, k])) : null;
    for (let r = 0; r < n; r++) {
      const row = rows[r];
      let cell = -1;
      if (dom.kind === 'cat') {
        const v = row[f];
        cell = v === null || v === undefined ? -1 : (index!.get(String(v)) ?? -1);
        if (cell >= 0) x[r * q + dom.bits[cell]] = 1;
      } else {
        const v = rawValue(row, f);
        if (!Number.isNaN(v)) {
          cell = 0;
          while (cell < dom.cuts.length && v > dom.cuts[cell]) x[r * q + dom.bits[cell++]] = 1;
        }
      }
      cells[r * D + di] = cell;
    }
  });
  return { x, cells };
}

/**
 * First-layer unit `u`'s weights over the bits and its bias: `Σ_j W[j,u] · (base_j + Σ delta·bit)`.
 *
 * @example
 * const { weights, bias } = bitUnit(layer, 0, ib);
 */
export function bitUnit(layer: DenseLayer, u: number, ib: InputBits, combine?: number): { weights: Float64Array; bias: number } {
  const weights = new Float64Array(ib.bits.length);
  let bias = layer.biases[u] - (combine !== undefined ? layer.biases[combine] : 0);
  ib.coding.forEach((c, j) => {
    const w = layer.weights[j * layer.outputSize + u] - (combine !== undefined ? layer.weights[j * layer.outputSize + combine] : 0);
    bias += w * c.base;
    for (const t of c.terms) weights[t.bit] += w * t.delta;
  });
  return { weights, bias };
}
