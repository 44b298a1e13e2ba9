/**
 * The `mofn` extractor: Towell & Shavlik's MofN algorithm (1993) over a network of sigmoid (or
 * tanh) units with binary inputs, giving M-of-N rules over the original columns.
 */
import { z } from 'zod';
import type { DenseLayer } from '../../model/types.js';
import type { DecisionListT, RuleSet, RuleT } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import type { ExtractContext, Extractor } from '../types.js';
import { columnCondition, decompositionHoldOut, finishDecomposition, listRuleStats, prepareDecomposition, readDenseNetwork, type Decomposition } from '../decompositional/index.js';
import { exprToConjunctions, FALSE, negateExpr, simplifyExpr, substituteExpr, TRUE, type MofNExpr } from './mofn-expression.js';
import { extractUnitMofN, unitStates, type UnitOptions } from './mofn-unit.js';

/** Options of the `mofn` extractor: names, types, defaults and allowed values (the unit options are {@link UnitOptions}). */
export const MofNOptionsSchema = z.strictObject({
  /** Weights join a cluster while the gap between cluster means is at most this share of the largest weight (default 0.25). */
  clusterDistance: z.number().min(0).default(0.25),
  /** A cluster is dropped when that (with the bias re-fit) lowers agreement with the target by at most this share of rows (default 0.01). */
  eliminateTolerance: z.number().min(0).max(1).default(0.01),
  /** Largest number of count vectors enumerated to read a unit; coarser clusters are used beyond it (default 4096). */
  maxCombinations: z.number().int().min(1).default(4096),
  /** Share of the data held out from extraction to measure fidelity on (default 0.2). */
  holdOut: decompositionHoldOut,
  /** Rows drawn from the training rows' per-column marginals and added to the extraction sample (default 1000). */
  samples: z.number().int().min(0).default(1000),
});

/** Options of the `mofn` extractor (see {@link MofNOptionsSchema}). */
export type MofNOptions = z.output<typeof MofNOptionsSchema>;

export const mofnDefaults: MofNOptions = optionDefaults(MofNOptionsSchema);

/** Binary coding of the network's inputs: per encoded column its two values (low = false). */
interface BinaryInputs {
  low: Float64Array;
  high: Float64Array;
  /** `n × p`, 1 where the column holds its high value. */
  bits: Uint8Array;
}

/** Checks that every encoded input is binary on the sample and codes it 0/1. */
function binaryInputs(d: Decomposition): BinaryInputs {
  const p = d.columns.length;
  const n = d.sample.length;
  const low = new Float64Array(p);
  const high = new Float64Array(p);
  const bits = new Uint8Array(n * p);
  for (let j = 0; j < p; j++) {
    const col = d.columns[j];
    if (col.kind === 'onehot') {
      low[j] = 0;
      high[j] = 1;
    } else {
      const vals = new Set<number>();
      for (let r = 0; r < n && vals.size <= 2; r++) vals.add(d.x[r * p + j]);
      if (vals.size > 2) {
        throw new InputError(
          `mofn needs binary or discretised inputs (one-hot categories or 0/1 columns); column "${col.feature}" is numeric with more than two values: make it categorical (discretise it) or use cred/deepred`,
          { column: col.feature },
        );
      }
      const sorted = [...vals].sort((a, b) => a - b);
      low[j] = sorted[0];
      high[j] = sorted[sorted.length - 1];
    }
    for (let r = 0; r < n; r++) bits[r * p + j] = d.x[r * p + j] > (low[j] + high[j]) / 2 ? 1 : 0;
  }
  return { low, high, bits };
}

/** The input literal for column `j` as a raw-column test (`var` true: the column holds its high value). */
function inputLiteral(d: Decomposition, b: BinaryInputs, j: number): MofNExpr {
  if (b.low[j] === b.high[j]) return FALSE; // constant column: its weight went into the bias
  const col = d.columns[j];
  if (col.kind === 'numeric') {
    // the midpoint of the column's two raw values (exact, unlike one recovered from float32 encodings)
    const f = d.features.findIndex((g) => g.name === col.feature);
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of d.sample) {
      const v = r[f];
      if (typeof v === 'number') {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    // encodings are increasing in the raw value (std > 0): the high bit is the high raw value
    return { k: 'lit', c: { type: 'gt', feature: col.feature, threshold: (lo + hi) / 2 } };
  }
  const c = columnCondition(col, true, (b.low[j] + b.high[j]) / 2);
  return typeof c === 'boolean' ? (c ? TRUE : FALSE) : { k: 'lit', c };
}

/**
 * A layer's weights and biases for unit inputs coded 0/1: `x = low + (high - low)·bit`, so the
 * weight scales by `high - low` and `Σ w·low` moves into the bias (tanh units: low -1, high 1).
 */
function effectiveUnit(layer: DenseLayer, j: number, low: ArrayLike<number>, high: ArrayLike<number>, combine?: number): { weights: Float64Array; bias: number } {
  const w = new Float64Array(layer.inputSize);
  let bias = layer.biases[j] - (combine !== undefined ? layer.biases[combine] : 0);
  for (let i = 0; i < layer.inputSize; i++) {
    const raw = layer.weights[i * layer.outputSize + j] - (combine !== undefined ? layer.weights[i * layer.outputSize + combine] : 0);
    w[i] = raw * (high[i] - low[i]);
    bias += raw * low[i];
  }
  return { weights: w, bias };
}

/** Column indices of each categorical feature's one-hot group (two or more columns). */
function oneHotGroups(d: Decomposition): number[][] {
  const byFeature = new Map<string, number[]>();
  d.columns.forEach((c, j) => {
    if (c.kind === 'onehot') byFeature.set(c.feature, [...(byFeature.get(c.feature) ?? []), j]);
  });
  return [...byFeature.values()].filter((g) => g.length > 1);
}

/**
 * Exactly one column of a one-hot group is on, so adding a constant to the group's weights and
 * subtracting it from the bias leaves the unit unchanged (on rows without missing values). The
 * constant chosen zeroes the largest cluster of the group's weights (ties: the one nearest 0):
 * weights (4.6, -3.2, -3.2) on head_shape = 1, 2, 3 become (7.8, 0, 0), so the unit reads
 * "head_shape = 1" instead of "head_shape = 1, NOT head_shape = 2, NOT head_shape = 3".
 */
function shiftOneHotGroups(unit: { weights: Float64Array; bias: number }, groups: number[][], clusterDistance: number): { weights: Float64Array; bias: number } {
  const weights = Float64Array.from(unit.weights);
  let bias = unit.bias;
  let maxA = 0;
  for (const w of weights) maxA = Math.max(maxA, Math.abs(w));
  for (const g of groups) {
    const vals = g.map((j) => weights[j]).sort((a, b) => a - b);
    // 1-D clusters of the group's weights (adjacent gaps within the distance)
    const clusters: number[][] = [[vals[0]]];
    for (let i = 1; i < vals.length; i++) {
      if (vals[i] - vals[i - 1] <= clusterDistance * maxA) clusters[clusters.length - 1].push(vals[i]);
      else clusters.push([vals[i]]);
    }
    let best = clusters[0];
    const mean = (c: number[]) => c.reduce((s, x) => s + x, 0) / c.length;
    for (const c of clusters) {
      if (c.length > best.length || (c.length === best.length && Math.abs(mean(c)) < Math.abs(mean(best)))) best = c;
    }
    const shift = mean(best);
    for (const j of g) weights[j] -= shift;
    bias += shift;
  }
  return { weights, bias };
}

/**
 * Extracts M-of-N rules from a network's weights (Towell & Shavlik 1993): every hidden unit and
 * output unit is clustered, averaged, pruned of irrelevant clusters, its bias re-fit on the
 * extraction sample and read as M-of-N tests; the layers are then composed down to the inputs
 * (one-hot column = `feature = category`, its absence `feature != category`) and simplified.
 *
 * @throws InputError when the black box exposes no weights, hidden units are not sigmoid/tanh,
 *   or an input column is numeric with more than two values.
 * @example
 * const rs = await extractMofN({ model, data, seed: 42 }, { clusterDistance: 0.25 });
 */
export async function extractMofN(ctx: ExtractContext, options: Partial<MofNOptions> = {}): Promise<RuleSet> {
  const opts = parseOptions(MofNOptionsSchema, options, { method: 'mofn' });
  const net = readDenseNetwork(ctx.model, 'mofn');
  net.layers.slice(0, -1).forEach((l, i) => {
    if (l.activation !== 'sigmoid' && l.activation !== 'tanh') {
      throw new InputError(
        `mofn needs sigmoid or tanh hidden units (units that are on or off); hidden layer ${i + 1} uses ${l.activation}: use cred or deepred, or a pedagogical method (cart, trepan)`,
      );
    }
  });
  if (net.layers[net.layers.length - 1].activation === 'relu') {
    throw new InputError('mofn needs a sigmoid, softmax or linear output layer; the output layer uses relu: use cred or deepred');
  }
  const d = await prepareDecomposition(ctx, 'mofn', { holdOut: opts.holdOut, samples: opts.samples });
  const b = binaryInputs(d);
  const n = d.sample.length;
  const layers = d.net.layers;

  // per layer: the expressions of its units over the original columns, and their 0/1 states
  let exprs: MofNExpr[] = d.columns.map((_, j) => inputLiteral(d, b, j));
  let bits = b.bits;
  let low: ArrayLike<number> = b.low;
  let high: ArrayLike<number> = b.high;
  const groups = oneHotGroups(d);
  const unitOpts: UnitOptions = { clusterDistance: opts.clusterDistance, eliminateTolerance: opts.eliminateTolerance, maxCombinations: opts.maxCombinations };
  for (let l = 0; l < layers.length - 1; l++) {
    ctx.progress?.(l, layers.length, 'mofn');
    const layer = layers[l];
    const acts = d.activations[l + 1];
    const cut = layer.activation === 'tanh' ? 0 : 0.5;
    const next: MofNExpr[] = [];
    const nextBits = new Uint8Array(n * layer.outputSize);
    for (let j = 0; j < layer.outputSize; j++) {
      const target = new Uint8Array(n);
      for (let r = 0; r < n; r++) target[r] = acts[r * layer.outputSize + j] > cut ? 1 : 0;
      const unit = effectiveUnit(layer, j, low, high);
      const { weights, bias } = l === 0 ? shiftOneHotGroups(unit, groups, opts.clusterDistance) : unit;
      const problem = { weights, bias, inputs: bits, target, n };
      const rule = extractUnitMofN(problem, unitOpts);
      next.push(simplifyExpr(substituteExpr(rule.expr, exprs), d.features));
      const states = unitStates(problem, rule);
      for (let r = 0; r < n; r++) nextBits[r * layer.outputSize + j] = states[r];
    }
    exprs = next;
    bits = nextBits;
    const lo = layer.activation === 'tanh' ? -1 : 0;
    low = new Float64Array(layer.outputSize).fill(lo);
    high = new Float64Array(layer.outputSize).fill(1);
  }

  // output layer: one unit per class (two classes: the difference of the two units, or the single unit)
  const out = layers[layers.length - 1];
  const k = d.classes.length;
  const classExpr: (MofNExpr | null)[] = new Array(k).fill(null);
  const classUnit = (j: number, combine: number | undefined, cls: number) => {
    const target = Uint8Array.from(d.labels, (y) => (y === cls ? 1 : 0));
    const { weights, bias } = effectiveUnit(out, j, low, high, combine);
    const rule = extractUnitMofN({ weights, bias, inputs: bits, target, n }, unitOpts);
    return simplifyExpr(substituteExpr(rule.expr, exprs), d.features);
  };
  if (out.outputSize === 1 || out.outputSize === 2) {
    const e = out.outputSize === 1 ? classUnit(0, undefined, 1) : classUnit(1, 0, 1);
    classExpr[1] = e;
    classExpr[0] = simplifyExpr(negateExpr(e), d.features);
  } else {
    for (let c = 0; c < out.outputSize; c++) classExpr[c] = classUnit(c, undefined, c);
  }
  ctx.progress?.(layers.length, layers.length, 'mofn');
  const list = assembleList(d, classExpr);
  return finishDecomposition(ctx, d, list, { ...opts });
}

/**
 * The decision list: the rules of every class but a default class, most precise first. With two
 * classes the rules describe the class whose expression needs fewer conjunctions (ties: the rarer
 * class) and the other is the default; with more, the most frequent class is the default.
 */
function assembleList(d: Decomposition, classExpr: (MofNExpr | null)[]): DecisionListT {
  const k = d.classes.length;
  const counts = new Array<number>(k).fill(0);
  for (const y of d.labels) counts[y]++;
  const conj = classExpr.map((e) => (e ? exprToConjunctions(e, d.features) : []));
  let dflt = 0;
  if (k === 2) {
    const c1 = conj[1].length;
    const c0 = conj[0].length;
    dflt = c1 < c0 || (c1 === c0 && counts[1] <= counts[0]) ? 0 : 1;
  } else {
    for (let c = 1; c < k; c++) if (counts[c] > counts[dflt]) dflt = c;
  }
  const rules: RuleT[] = [];
  for (let c = 0; c < k; c++) {
    if (c === dflt) continue;
    for (const conds of conj[c]) rules.push({ conditions: conds, output: { class: d.classes[c] } });
  }
  const stats = listRuleStats(rules, d);
  const order = rules.map((_, i) => i);
  if (k > 2) {
    const prec = (i: number) => stats[i].stats?.precision ?? 0;
    order.sort((a, b) => prec(b) - prec(a) || stats[b].stats!.support - stats[a].stats!.support || a - b);
  }
  return { kind: 'list', rules: order.map((i) => rules[i]), default: { class: d.classes[dflt] } };
}

/** `mofn` in the extractor registry. */
export const mofnExtractor: Extractor<MofNOptions> = {
  name: 'mofn',
  description: "M-of-N rules from a sigmoid network's weights (Towell & Shavlik 1993); binary/one-hot inputs only",
  decompositional: true,
  tasks: ['classification'],
  options: MofNOptionsSchema,
  defaults: mofnDefaults,
  extract: extractMofN,
};
