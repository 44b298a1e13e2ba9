/**
 * The `mofn` extractor: Towell & Shavlik's MofN algorithm (1993) over a network of sigmoid (or
 * tanh) units, giving M-of-N rules over the original columns within a size bound. Numeric columns
 * are first cut into binary tests (see mofn-inputs.ts); the composed expression is cleaned literal
 * by literal (mofn-expression.ts); when it is larger than the bound, rules implied by the
 * simplified network are chosen within it (mofn-bound.ts), and the rule set says what the bound
 * cost in agreement with the network.
 */
import { rowsOf } from '../../data/table.js';
import { z } from 'zod';
import { encodeRows } from '../../data/index.js';
import type { Feature } from '../../data/types.js';
import type { DenseLayer } from '../../model/types.js';
import { countRules } from '../../rules/countRules.js';
import type { ComplexityT, ConditionT, DecisionListT, RuleSet, RuleT } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import { assembleRuleSet } from '../common.js';
import { simplifyRuleSet } from '../simplify/simplifyRuleSet.js';
import type { ExtractContext, Extractor } from '../types.js';
import {
  decompositionHoldOut,
  finishDecomposition,
  forwardDense,
  listRuleStats,
  outputClasses,
  prepareDecomposition,
  readDenseNetwork,
  refineThresholds,
  bestSelection,
  selectionRules,
  type Bound,
  type Candidate,
  type Decomposition,
} from '../decompositional/index.js';
import { countedCandidates, growRegions, regionConditions } from './mofn-bound.js';
import { bitUnit, inputBits, rowBits, type InputBits } from './mofn-inputs.js';
import { exprSize, exprToConjunctions, negateExpr, simplifyExpr, substituteExpr, type MofNExpr } from './mofn-expression.js';
import { mofnNetwork, outputBits, type MofNNetwork } from './mofn-network.js';
import { extractUnitMofN, unitStates, type UnitOptions, type UnitRule } from './mofn-unit.js';

/** Options of the `mofn` extractor: names, types, defaults and allowed values (the unit options are {@link UnitOptions}). */
export const MofNOptionsSchema = z.strictObject({
  /** Weights join a cluster while the gap between cluster means is at most this share of the largest weight (default 0.25). */
  clusterDistance: z.number().min(0).default(0.25),
  /** A cluster is dropped when that (with the bias re-fit) lowers agreement with the target by at most this share of rows (default 0.01). */
  eliminateTolerance: z.number().min(0).max(1).default(0.01),
  /** Largest number of count vectors enumerated to read a unit; coarser clusters are used beyond it (default 4096). */
  maxCombinations: z.number().int().min(1).default(4096),
  /** At most this many rules (the default not counted; default 10). */
  maxRules: z.number().int().min(0).default(10),
  /** At most this many atomic tests in one rule, an M-of-N test counting its members (default 12). */
  maxRuleConditions: z.number().int().min(1).default(12),
  /** At most this many atomic tests in all rules together (default 40). */
  maxConditions: z.number().int().min(1).default(40),
  /** A first-layer unit is read as a threshold on one numeric column when that column spans at least this share of its net-input range (default 0.5). */
  dominance: z.number().gt(0).max(1).default(0.5),
  /** Most cut points per numeric column taken from the data (MDL against the network's labels) when no unit is a threshold on it (default 4). */
  maxCuts: z.number().int().min(1).default(4),
  /** Share of the data held out from extraction to measure fidelity on (default 0.2). */
  holdOut: decompositionHoldOut,
  /** Rows drawn from the training rows' per-column marginals and added to the extraction sample (default 1000). */
  samples: z.number().int().min(0).default(1000),
});

/** Options of the `mofn` extractor (see {@link MofNOptionsSchema}). */
export type MofNOptions = z.output<typeof MofNOptionsSchema>;

export const mofnDefaults: MofNOptions = optionDefaults(MofNOptionsSchema);

/** The composed expression is given up beyond this many atomic tests (the bounded rules do not need it). */
const COMPOSE_LIMIT = 200_000;
/** Regions grown per class, at most. */
const REGIONS_PER_CLASS = 60;

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

/** The bits of each categorical column with two or more categories (exactly one is on per row). */
function oneHotGroups(ib: InputBits): number[][] {
  return ib.domains.filter((d) => d.kind === 'cat' && d.bits.length > 1).map((d) => d.bits);
}

/** The MofN reading of the whole network: simplified units per layer, and the composed expressions when not too large. */
interface Reading {
  net: MofNNetwork;
  /** Per class, its expression over the original columns (null when not composed). */
  classExpr: (MofNExpr | null)[] | null;
  /** Atomic tests of the composed expression before cleaning (an estimate when not composed). */
  composedSize: number;
  /** Two classes read from one unit (on: class 1). */
  single: boolean;
}

/** Runs MofN's steps on every unit, layer by layer, and composes the layers while that stays small. */
function readNetwork(d: Decomposition, ib: InputBits, opts: MofNOptions, progress: ExtractContext['progress']): Reading {
  const n = d.sample.length;
  const layers = d.net.layers;
  const unitOpts: UnitOptions = { clusterDistance: opts.clusterDistance, eliminateTolerance: opts.eliminateTolerance, maxCombinations: opts.maxCombinations };
  const groups = oneHotGroups(ib);
  let exprs: MofNExpr[] | null = ib.literals.map((e) => simplifyExpr(e, d.features));
  let sizes = exprs.map(exprSize);
  let bits = ib.x;
  let low: ArrayLike<number> = [];
  let high: ArrayLike<number> = [];
  const hidden: UnitRule[][] = [];
  /** The unit over the layer below, read and (when small enough) composed down to the columns. */
  const readUnit = (l: number, unit: { weights: Float64Array; bias: number }, target: Uint8Array) => {
    const { weights, bias } = l === 0 ? shiftOneHotGroups(unit, groups, opts.clusterDistance) : unit;
    const problem = { weights, bias, inputs: bits, target, n };
    const rule = extractUnitMofN(problem, unitOpts);
    const size = composedSize(rule.expr, sizes);
    const expr = exprs && size <= COMPOSE_LIMIT ? simplifyExpr(substituteExpr(rule.expr, exprs), d.features) : null;
    return { rule, expr, size, states: unitStates(problem, rule) };
  };
  let composed = 0;
  for (let l = 0; l < layers.length - 1; l++) {
    progress?.(l, layers.length, 'mofn');
    const layer = layers[l];
    const acts = d.activations[l + 1];
    const cut = layer.activation === 'tanh' ? 0 : 0.5;
    const next: (MofNExpr | null)[] = [];
    const nextSizes: number[] = [];
    const nextBits = new Uint8Array(n * layer.outputSize);
    const rules: UnitRule[] = [];
    for (let j = 0; j < layer.outputSize; j++) {
      const target = new Uint8Array(n);
      for (let r = 0; r < n; r++) target[r] = acts[r * layer.outputSize + j] > cut ? 1 : 0;
      const u = readUnit(l, l === 0 ? bitUnit(layer, j, ib) : effectiveUnit(layer, j, low, high), target);
      rules.push(u.rule);
      next.push(u.expr);
      nextSizes.push(u.expr ? exprSize(u.expr) : u.size);
      for (let r = 0; r < n; r++) nextBits[r * layer.outputSize + j] = u.states[r];
    }
    hidden.push(rules);
    exprs = exprs && next.every((e) => e !== null) ? (next as MofNExpr[]) : null;
    sizes = nextSizes;
    bits = nextBits;
    low = new Float64Array(layer.outputSize).fill(layer.activation === 'tanh' ? -1 : 0);
    high = new Float64Array(layer.outputSize).fill(1);
  }

  // output layer: one reading per class (two classes: the difference of the two units, or the single unit)
  const out = layers[layers.length - 1];
  const k = d.classes.length;
  const first = layers.length === 1;
  const classUnit = (j: number, combine: number | undefined, cls: number) => {
    const target = Uint8Array.from(d.labels, (y) => (y === cls ? 1 : 0));
    const unit = first ? bitUnit(out, j, ib, combine) : effectiveUnit(out, j, low, high, combine);
    return readUnit(first ? 0 : 1, unit, target);
  };
  const single = out.outputSize <= 2;
  const readings = single ? [out.outputSize === 1 ? classUnit(0, undefined, 1) : classUnit(1, 0, 1)] : Array.from({ length: out.outputSize }, (_, c) => classUnit(c, undefined, c));
  composed = readings.reduce((s, u) => s + (u.expr ? exprSize(u.expr) : u.size), 0);
  let classExpr: (MofNExpr | null)[] | null = null;
  if (exprs !== null && readings.every((u) => u.expr !== null)) {
    classExpr = single ? [simplifyExpr(negateExpr(readings[0].expr!), d.features), readings[0].expr] : readings.map((u) => u.expr);
    void k;
  }
  progress?.(layers.length, layers.length, 'mofn');
  return {
    net: mofnNetwork(ib, hidden, readings.map((u) => u.rule)),
    classExpr,
    composedSize: classExpr ? classExpr.reduce((s, e) => s + (e ? exprSize(e) : 0), 0) - (single ? exprSize(classExpr[0]!) : 0) : composed,
    single,
  };
}

/** Atomic tests of `e` with every unit leaf replaced by an expression of the given size. */
function composedSize(e: MofNExpr, sizes: readonly number[]): number {
  switch (e.k) {
    case 'const':
      return 0;
    case 'lit':
      return 1;
    case 'var':
      return sizes[e.i];
    case 'mofn':
      return e.items.reduce((s, x) => s + composedSize(x, sizes), 0);
  }
}

/** The class the reading gives each row: two classes from the single unit; more, the first on reading by precision, else `dflt`. */
function readingClasses(on: Uint8Array[], labels: Int32Array, single: boolean, dflt: number): Int32Array {
  const n = labels.length;
  if (single) return Int32Array.from(on[0], (v) => v);
  const precision = on.map((o, c) => {
    let s = 0;
    let hit = 0;
    for (let r = 0; r < n; r++) if (o[r]) (s++, labels[r] === c && hit++);
    return s ? hit / s : 0;
  });
  const order = on.map((_, c) => c).filter((c) => c !== dflt).sort((a, b) => precision[b] - precision[a] || a - b);
  return Int32Array.from({ length: n }, (_, r) => {
    for (const c of order) if (on[c][r]) return c;
    return dflt;
  });
}

function agreement(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let a = 0;
  for (let r = 0; r < labels.length; r++) if (pred[r] === labels[r]) a++;
  return labels.length ? a / labels.length : 1;
}

/** Candidate rules: the composed expression's disjuncts and regions grown around rows, per class. */
function candidates(d: Decomposition, reading: Reading, on: Uint8Array[]): Candidate[] {
  const cands: Candidate[] = [];
  if (reading.classExpr) {
    reading.classExpr.forEach((e, cls) => {
      if (e) for (const conditions of exprToConjunctions(e, d.features)) cands.push({ conditions, cls, kind: 'mofn' });
    });
  }
  const n = d.sample.length;
  const targets: { reading: number; on: boolean; cls: number }[] = reading.single
    ? [
        { reading: 0, on: true, cls: 1 },
        { reading: 0, on: false, cls: 0 },
      ]
    : on.map((_, c) => ({ reading: c, on: true, cls: c }));
  const regions: Candidate[] = [];
  for (const t of targets) {
    const positive = new Uint8Array(n);
    for (let r = 0; r < n; r++) positive[r] = (on[t.reading][r] === 1) === t.on && d.labels[r] === t.cls ? 1 : 0;
    for (const dom of growRegions(reading.net, t.reading, t.on, on[t.reading], positive, REGIONS_PER_CLASS)) {
      regions.push({ conditions: regionConditions(reading.net, dom, d.features), cls: t.cls, kind: 'region' });
    }
  }
  return [...cands, ...regions, ...countedCandidates(regions, d.classes.length, d.features)];
}

/**
 * Extracts M-of-N rules from a network's weights (Towell & Shavlik 1993): every hidden unit and
 * output unit is clustered, averaged, pruned of irrelevant clusters, its bias re-fit on the
 * extraction sample and read as M-of-N tests over the layer below; numeric columns enter as cut
 * points (thresholds of the first-layer units dominated by one column, else MDL cut points against
 * the network's labels). The layers composed down to the columns and cleaned give the unbounded
 * rules; within `maxRules` / `maxRuleConditions` / `maxConditions` the decision list is chosen among
 * those rules and rules grown around rows that the simplified network implies, and simplified
 * exactly on the sample. `simplification` records the unbounded and bounded sizes and agreements;
 * its `note` says when the bound cost agreement with the network, and how much.
 *
 * @throws InputError when the black box exposes no weights or hidden units are not sigmoid/tanh.
 * @example
 * const rs = await extractMofN({ model, data, seed: 42 }, { maxRules: 5 });
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
  const ib = inputBits(d, { dominance: opts.dominance, maxCuts: opts.maxCuts });
  const reading = readNetwork(d, ib, opts, ctx.progress);
  const n = d.sample.length;
  const on = outputBits(reading.net, ib.x, n);
  const counts = new Array<number>(d.classes.length).fill(0);
  for (const y of d.labels) counts[y]++;
  const frequent = counts.indexOf(Math.max(...counts));
  const unboundedSample = agreement(readingClasses(on, d.labels, reading.single, frequent), d.labels);

  // the unbounded rules: the composed expression as a list (when it was composed)
  const full = reading.classExpr ? assembleList(d, reading.classExpr) : null;
  const fullCount = full ? countRules(draft(ctx, d, full, opts)) : null;
  const before: ComplexityT = {
    rules: fullCount ? fullCount.rules : 1,
    conditions: fullCount ? fullCount.conditions : reading.composedSize,
    fidelity: unboundedSample,
  };

  const bound: Bound = { maxRules: opts.maxRules, maxRuleConditions: opts.maxRuleConditions, maxConditions: opts.maxConditions };
  const sel = bestSelection(candidates(d, reading, on), d, bound);
  const list: DecisionListT = { kind: 'list', rules: selectionRules(sel, d.classes), default: { class: d.classes[sel.dflt] } };
  const simplified = simplifyRuleSet(draft(ctx, d, list, opts), d.sample, Float64Array.from(d.labels)).ruleSet;
  // numeric thresholds moved to where the network's answer changes (a unit's own threshold is where it switches)
  const refined = refineThresholds(simplified.surrogate as DecisionListT, d.sample, Array.from(d.labels, (y) => d.classes[y]), d.features);
  const bounded = refined.list;
  const after = { ...simplified.simplification!.after, fidelity: refined.agreement };
  const ordered = bounded.rules.map(({ conditions, output }) => ({ conditions: conditions.map((c) => orderMembers(c, d.features)), output: { class: (output as { class: string }).class } }));
  const rs = await finishDecomposition(ctx, d, { kind: 'list', rules: ordered, default: list.default }, { ...opts });
  const simplification: NonNullable<RuleSet['simplification']> = { before, after };
  const lost = (before.fidelity ?? 0) - (after.fidelity ?? 0);
  if (lost > 1e-9) {
    const held = heldOutAgreement(d, ib, reading, frequent);
    const plural = (k: number, w: string) => `${k.toLocaleString('en-US')} ${w}${k === 1 ? '' : 's'}`;
    const heldText =
      held !== null && rs.fidelity
        ? Math.abs(held - rs.fidelity.value) < 5e-4
          ? `; on the held-out rows both ${held.toFixed(3)}`
          : `; on the held-out rows ${rs.fidelity.value.toFixed(3)} against ${held.toFixed(3)}`
        : '';
    simplification.note =
      `bounded to at most ${plural(opts.maxRules, 'rule')}, ${opts.maxRuleConditions} conditions per rule and ${opts.maxConditions} in all: ` +
      `these rules agree with the network on ${after.fidelity!.toFixed(3)} of the extraction sample, the unbounded M-of-N rules (${plural(before.rules, 'rule')}, ${plural(before.conditions, 'condition')}) on ${before.fidelity!.toFixed(3)} (-${lost.toFixed(3)})${heldText}; ` +
      `raise maxRules / maxConditions to keep more`;
  } else if (unboundedSample < 0.9) {
    simplification.note = `the MofN reading of the network agrees with it on only ${unboundedSample.toFixed(3)} of the extraction sample: its units are not on or off (they do not saturate), so M-of-N rules describe it poorly; use cart or trepan`;
  }
  rs.simplification = simplification;
  return rs;
}

/**
 * An M-of-N test with its members in the columns' order (then by threshold), so that a test read
 * off units in the network's order prints as a person would write it; nested tests likewise.
 *
 * @example
 * orderMembers({ type: 'mofn', m: 2, conditions: [x1 > 0.5, x0 > 0.5] }, features); // at least 2 of (x0 > 0.5, x1 > 0.5)
 */
function orderMembers(c: ConditionT, features: readonly Feature[]): ConditionT {
  if (c.type !== 'mofn') return c;
  const at = new Map(features.map((f, i) => [f.name, i]));
  const rank = (x: ConditionT) => (x.type === 'mofn' ? features.length : (at.get(x.feature) ?? features.length));
  const threshold = (x: ConditionT) => ('threshold' in x ? x.threshold : 0);
  const members = c.conditions.map((x) => orderMembers(x, features));
  const sorted = members.map((x, i) => ({ x, i })).sort((a, b) => rank(a.x) - rank(b.x) || threshold(a.x) - threshold(b.x) || a.i - b.i);
  return { ...c, conditions: sorted.map((s) => s.x) };
}

/** The rule set around a list, without fidelity (for counting and simplifying). */
function draft(ctx: ExtractContext, d: Decomposition, list: DecisionListT, opts: MofNOptions): RuleSet {
  return assembleRuleSet({ ctx, method: 'mofn', options: { ...opts }, surrogate: list, samples: d.sample.length });
}

/** Agreement of the unbounded reading with the network on the held-out rows (null without any). */
function heldOutAgreement(d: Decomposition, ib: InputBits, reading: Reading, dflt: number): number | null {
  const rows = rowsOf(d.heldOut.test);
  if (rows.length === 0) return null;
  const acts = forwardDense(d.net, encodeRows(d.encoder, rows), rows.length);
  const labels = outputClasses(d.net, acts[acts.length - 1], rows.length);
  const { x } = rowBits(ib, rows, d.features.map((f) => f.name));
  const on = outputBits(reading.net, x, rows.length);
  return agreement(readingClasses(on, labels, reading.single, dflt), labels);
}

/**
 * The composed expressions as a decision list: the rules of every class but a default class, most
 * precise first. With two classes the rules describe the class whose expression needs fewer
 * conjunctions (ties: the rarer class) and the other is the default; with more, the most frequent
 * class is the default.
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
  if (k > 2) {
    const stats = listRuleStats(rules, d);
    const order = rules.map((_, i) => i);
    const prec = (i: number) => stats[i].stats?.precision ?? 0;
    order.sort((a, b) => prec(b) - prec(a) || stats[b].stats!.support - stats[a].stats!.support || a - b);
    return { kind: 'list', rules: order.map((i) => rules[i]), default: { class: d.classes[dflt] } };
  }
  return { kind: 'list', rules, default: { class: d.classes[dflt] } };
}

/** `mofn` in the extractor registry. */
export const mofnExtractor: Extractor<MofNOptions> = {
  name: 'mofn',
  description: "M-of-N rules from a sigmoid network's weights (Towell & Shavlik 1993), bounded in size; numeric inputs cut at the units' thresholds",
  decompositional: true,
  tasks: ['classification'],
  options: MofNOptionsSchema,
  defaults: mofnDefaults,
  extract: extractMofN,
};
