/**
 * The `tsukimoto` extractor: Tsukimoto's rule extraction from trained networks (Tsukimoto 2000,
 * "Extracting rules from trained neural networks", IEEE TNN 11(2)). Every unit is replaced by the
 * Boolean function nearest to it in the multilinear function space, computed term by term up to a
 * given order (unit-terms.ts); numeric inputs enter through the continuous Boolean extension
 * (normalised to [0, 1] over the data); the units' Boolean functions are composed layer by layer
 * into propositional rules over the original columns, and a decision list within a size bound is
 * chosen from them.
 */
import { z } from 'zod';
import type { Row } from '../../data/types.js';
import type { DenseLayer } from '../../model/types.js';
import { countRules } from '../../rules/countRules.js';
import type { ComplexityT, ConditionT, DecisionListT, RuleSet } from '../../rules/schema.js';
import { InputError } from '../../util/errors.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import { assembleRuleSet } from '../common.js';
import { simplifyRuleSet } from '../simplify/simplifyRuleSet.js';
import type { ExtractContext, Extractor } from '../types.js';
import {
  bestSelection,
  decompositionHoldOut,
  finishDecomposition,
  mergeConjunction,
  prepareDecomposition,
  readDenseNetwork,
  selectionRules,
  type Bound,
  type Candidate,
  type Decomposition,
} from '../decompositional/index.js';
import { dropSubsumed, unitTerms, type DataDomain, type Term, type UnitVariable } from './unit-terms.js';

/** Options of the `tsukimoto` extractor: names, types, defaults and allowed values. */
export const TsukimotoOptionsSchema = z.strictObject({
  /** Highest order (literals) of the terms generated for one unit (default 3). */
  maxOrder: z.number().int().min(1).max(8).default(3),
  /** Most terms kept per unit and per composed expression, those covering most sample rows first (default 40). */
  maxTerms: z.number().int().min(1).default(40),
  /** Literals tried per unit, those that move its net input most first (default 24). */
  maxLiterals: z.number().int().min(1).default(24),
  /** "data": a term also counts when every sample row in its subdomain has the unit's state (the training-data domain); "all": only over the whole domain (default "data"). */
  domain: z.enum(['data', 'all']).default('data'),
  /** At most this many rules (the default not counted; default 10). */
  maxRules: z.number().int().min(0).default(10),
  /** At most this many atomic tests in one rule (default 12). */
  maxRuleConditions: z.number().int().min(1).default(12),
  /** At most this many atomic tests in all rules together (default 40). */
  maxConditions: z.number().int().min(1).default(40),
  /** Share of the data held out from extraction to measure fidelity on (default 0.2). */
  holdOut: decompositionHoldOut,
  /** Rows drawn from the training rows' per-column marginals and added to the extraction sample (default 1000). */
  samples: z.number().int().min(0).default(1000),
});

/** Options of the `tsukimoto` extractor (see {@link TsukimotoOptionsSchema}). */
export type TsukimotoOptions = z.output<typeof TsukimotoOptionsSchema>;

export const tsukimotoDefaults: TsukimotoOptions = optionDefaults(TsukimotoOptionsSchema);

/** One original column as a variable of the first layer: its categories, or a numeric column normalised to [0, 1]. */
type Column =
  | { feature: string; index: number; kind: 'cat'; categories: string[]; inputs: number[] }
  | { feature: string; index: number; kind: 'num'; input: number; min: number; max: number; encode: (raw: number) => number };

/** The columns the network reads, in encoder order. */
function inputColumns(d: Decomposition): Column[] {
  const byColumn = new Map<number, number[]>();
  d.columns.forEach((c, j) => byColumn.set(c.column, [...(byColumn.get(c.column) ?? []), j]));
  const names = d.features.map((f) => f.name);
  return [...byColumn.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, js]) => {
      const first = d.columns[js[0]];
      const index = names.indexOf(first.feature);
      if (first.kind === 'onehot') {
        return { feature: first.feature, index, kind: 'cat', categories: js.map((j) => (d.columns[j] as { category: string }).category), inputs: js };
      }
      let min = Infinity;
      let max = -Infinity;
      for (const r of d.sample) {
        const v = r[index];
        if (typeof v === 'number' && Number.isFinite(v)) (min = Math.min(min, v)), (max = Math.max(max, v));
      }
      if (min === Infinity) min = max = 0;
      const enc = first;
      return { feature: first.feature, index, kind: 'num', input: js[0], min, max, encode: (raw: number) => (enc.standardize ? (raw - enc.mean) / (enc.std || 1) : raw) };
    });
}

/** Per sample row and column: the category index, or for a numeric column 1 above the middle of its range (0 below); -1 missing. */
function columnStates(cols: readonly Column[], rows: readonly Row[]): Int32Array {
  const D = cols.length;
  const out = new Int32Array(rows.length * D).fill(-1);
  rows.forEach((row, r) => {
    cols.forEach((c, k) => {
      const v = row[c.index];
      if (v === null || v === undefined) return;
      if (c.kind === 'cat') out[r * D + k] = c.categories.indexOf(String(v));
      else if (typeof v === 'number') out[r * D + k] = v > (c.min + c.max) / 2 ? 1 : 0;
    });
  });
  return out;
}

/**
 * The first layer's unit `u` over the columns: a categorical column adds its category's weight;
 * a numeric column, normalised to [0, 1] over the data (the continuous Boolean domain), adds its
 * weight times the encoded value at 0 (its minimum) or 1 (its maximum) — where a linear net input
 * is smallest and largest over the interval.
 */
function firstLayerVariables(layer: DenseLayer, u: number, cols: readonly Column[], combine?: number): { vars: UnitVariable[]; bias: number } {
  const w = (j: number) => layer.weights[j * layer.outputSize + u] - (combine !== undefined ? layer.weights[j * layer.outputSize + combine] : 0);
  const bias = layer.biases[u] - (combine !== undefined ? layer.biases[combine] : 0);
  const vars = cols.map((c): UnitVariable => {
    if (c.kind === 'cat') return { contributions: c.inputs.map(w), negations: true };
    return { contributions: [w(c.input) * c.encode(c.min), w(c.input) * c.encode(c.max)], negations: false };
  });
  return { vars, bias };
}

/** A unit above the first over the layer below's units, each off (`low`) or on (1). */
function upperVariables(layer: DenseLayer, u: number, low: number, combine?: number): { vars: UnitVariable[]; bias: number } {
  const vars: UnitVariable[] = [];
  for (let j = 0; j < layer.inputSize; j++) {
    const w = layer.weights[j * layer.outputSize + u] - (combine !== undefined ? layer.weights[j * layer.outputSize + combine] : 0);
    vars.push({ contributions: [w * low, w], negations: false });
  }
  return { vars, bias: layer.biases[u] - (combine !== undefined ? layer.biases[combine] : 0) };
}

/** A bit set over `n` rows of those where `hit(r)`. */
function bitsWhere(n: number, hit: (r: number) => boolean): Uint32Array {
  const b = new Uint32Array(Math.ceil(n / 32));
  for (let r = 0; r < n; r++) if (hit(r)) b[r >> 5] |= 1 << (r & 31);
  return b;
}

/** Conjunction of two terms over the columns (null when a column allows nothing). */
function conjoin(a: Term, b: Term): Term | null {
  const out: Term = a.map((l) => ({ v: l.v, values: l.values }));
  for (const lb of b) {
    const la = out.find((x) => x.v === lb.v);
    if (!la) out.push(lb);
    else {
      const values = la.values.filter((x) => lb.values.includes(x));
      if (values.length === 0) return null;
      la.values = values;
    }
  }
  return out.sort((x, y) => x.v - y.v);
}

/** A term over the columns with the sample rows it covers (a bit set) and their number. */
interface Covered {
  term: Term;
  rows: Uint32Array;
  count: number;
}

function popcount(b: Uint32Array): number {
  let k = 0;
  for (let w = 0; w < b.length; w++) {
    let x = b[w];
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    k += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return k;
}

/**
 * At most `limit` terms: those no sample row satisfies and those another term contains dropped,
 * then a greedy cover of the rows `want` (the rows where the unit has the state the terms are for):
 * each time the term covering most rows not covered yet.
 */
function keepTerms(terms: Covered[], limit: number, want: Uint32Array): Covered[] {
  const live = terms.filter((t) => t.count > 0);
  const survivors = new Set(dropSubsumed(live.map((t) => t.term)));
  return coverFirst(
    live.filter((t) => survivors.has(t.term)),
    want,
    limit,
  );
}

/**
 * At most `limit` terms among those that cover rows of `want`, most such rows first (ties: first):
 * between the steps of an expansion, where alternatives that overlap still combine differently
 * with the literals to come.
 */
function keepMost(terms: Covered[], limit: number, want: Uint32Array): Covered[] {
  const scored = terms.map((t, i) => {
    let k = 0;
    const and = new Uint32Array(1);
    for (let w = 0; w < want.length; w++) {
      and[0] = t.rows[w] & want[w];
      k += popcount(and);
    }
    return { t, i, k };
  });
  return scored
    .filter((x) => x.k > 0)
    .sort((x, y) => y.k - x.k || x.i - y.i)
    .slice(0, limit)
    .sort((x, y) => x.i - y.i)
    .map((x) => x.t);
}

/** Greedy cover: at most `limit` terms, each time the one covering most rows of `want` not yet covered. */
function coverFirst(terms: Covered[], want: Uint32Array, limit: number): Covered[] {
  const left = Uint32Array.from(want);
  const out: Covered[] = [];
  const used = new Set<number>();
  while (out.length < limit) {
    let best = -1;
    let gain = 0;
    terms.forEach((t, i) => {
      if (used.has(i)) return;
      let g = 0;
      const and = new Uint32Array(1);
      for (let w = 0; w < left.length; w++) {
        and[0] = left[w] & t.rows[w];
        g += popcount(and);
      }
      if (g > gain) {
        gain = g;
        best = i;
      }
    });
    if (best < 0) break;
    used.add(best);
    out.push(terms[best]);
    for (let w = 0; w < left.length; w++) left[w] &= ~terms[best].rows[w];
  }
  return out;
}

/**
 * A term over the units below turned into terms over the columns: each literal replaced by that
 * unit's (negated) terms, expanded, keeping after each step the terms that best cover `want` (the
 * rows of the term where the unit above has its state).
 */
function substitute(term: Term, below: { on: Covered[]; off: Covered[] }[], limit: number, words: number, want: Uint32Array): Covered[] {
  let acc: Covered[] = [{ term: [], rows: new Uint32Array(words).fill(0xffffffff), count: 1 }];
  for (const lit of term) {
    const dnf = lit.values[0] === 1 ? below[lit.v].on : below[lit.v].off;
    const next: Covered[] = [];
    for (const a of acc) {
      for (const b of dnf) {
        const rows = new Uint32Array(words);
        let any = false;
        for (let w = 0; w < words; w++) if ((rows[w] = a.rows[w] & b.rows[w])) any = true;
        if (!any) continue; // no sample row satisfies it: it decides nothing on the data
        const t = conjoin(a.term, b.term);
        if (t) next.push({ term: t, rows, count: popcount(rows) });
      }
    }
    acc = keepMost(next, limit, want);
    if (acc.length === 0) break;
  }
  return acc;
}

/** A term over the columns as rule conditions: categories as `=`/`!=`/`IN`/`NOT IN`, a numeric column above or below the middle of its range. */
function termConditions(t: Term, cols: readonly Column[], d: Decomposition): ConditionT[] {
  const conds: ConditionT[] = t.map((l): ConditionT => {
    const c = cols[l.v];
    if (c.kind === 'cat') return { type: 'in', feature: c.feature, values: l.values.map((k) => c.categories[k]) };
    const mid = Number(((c.min + c.max) / 2).toPrecision(7));
    return l.values[0] === 1 ? { type: 'gt', feature: c.feature, threshold: mid } : { type: 'le', feature: c.feature, threshold: mid };
  });
  return mergeConjunction(conds, d.features) ?? conds;
}

function agreement(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  let a = 0;
  for (let r = 0; r < labels.length; r++) if (pred[r] === labels[r]) a++;
  return labels.length ? a / labels.length : 1;
}

/**
 * Extracts propositional rules by Tsukimoto's method: each unit's nearest Boolean function (terms
 * up to `maxOrder` literals on which the unit is on, and those on which it is off, for its
 * negation), numeric inputs normalised to [0, 1] over the data and read as "above / below the
 * middle of the range", composed layer by layer down to the columns, then a decision list within
 * `maxRules` / `maxRuleConditions` / `maxConditions` chosen among the composed terms and
 * simplified exactly on the sample. `simplification` records the unbounded and bounded sizes and
 * agreements, with a note when the bound cost agreement.
 *
 * @throws InputError for a black box without weights, units that are not sigmoid or tanh, or an
 *   output of three or more classes (a softmax over them is not one unit per class).
 * @example
 * const rs = await extractTsukimoto({ model, data, seed: 42 }, { maxOrder: 2 });
 */
export async function extractTsukimoto(ctx: ExtractContext, options: Partial<TsukimotoOptions> = {}): Promise<RuleSet> {
  const opts = parseOptions(TsukimotoOptionsSchema, options, { method: 'tsukimoto' });
  const net = readDenseNetwork(ctx.model, 'tsukimoto');
  net.layers.slice(0, -1).forEach((l, i) => {
    if (l.activation !== 'sigmoid' && l.activation !== 'tanh') {
      throw new InputError(
        `tsukimoto approximates monotone, saturating units (sigmoid or tanh) by Boolean functions; hidden layer ${i + 1} uses ${l.activation}: use cred or deepred, or a pedagogical method (cart, trepan)`,
      );
    }
  });
  const out = net.layers[net.layers.length - 1];
  if (out.activation === 'relu' || out.activation === 'tanh') {
    throw new InputError(`tsukimoto needs a sigmoid, softmax or linear output layer; the output layer uses ${out.activation}: use cred or deepred`);
  }
  if (out.outputSize > 2) {
    throw new InputError(
      `tsukimoto reads one output unit as a Boolean function; a softmax over ${out.outputSize} classes is not one unit per class: use mofn, cred or a pedagogical method (cart, trepan)`,
    );
  }
  const d = await prepareDecomposition(ctx, 'tsukimoto', { holdOut: opts.holdOut, samples: opts.samples });
  const cols = inputColumns(d);
  const D = cols.length;
  const n = d.sample.length;
  const states = columnStates(cols, d.sample);
  const termOpts = { maxOrder: opts.maxOrder, maxTerms: opts.maxTerms, maxLiterals: opts.maxLiterals };
  const layers = d.net.layers;

  // the training-data domain: which sample rows a literal keeps, per layer's variables
  const columnRows = (v: number, values: readonly number[]) => bitsWhere(n, (r) => values.includes(states[r * D + v]));
  const unitOn = (l: number): Uint8Array[] => {
    const width = layers[l].outputSize;
    const acts = d.activations[l + 1];
    const cut = layers[l].activation === 'tanh' ? 0 : 0.5;
    return Array.from({ length: width }, (_, j) => Uint8Array.from({ length: n }, (_, r) => (acts[r * width + j] > cut ? 1 : 0)));
  };
  const domainOf = (l: number, target: Uint8Array, on: boolean): DataDomain | undefined => {
    if (opts.domain !== 'data') return undefined;
    const below = l === 0 ? null : unitOn(l - 1);
    return {
      rows: (v, values) => (below ? bitsWhere(n, (r) => values.includes(below[v][r])) : columnRows(v, values)),
      target: bitsWhere(n, (r) => (target[r] === 1) === on),
    };
  };

  // every unit's Boolean function (on) and its negation (off), over the columns
  const words = Math.ceil(n / 32);
  const covered = (t: Term): Covered => {
    const rows = new Uint32Array(words).fill(0xffffffff);
    for (const l of t) {
      const b = columnRows(l.v, l.values);
      for (let w = 0; w < words; w++) rows[w] &= b[w];
    }
    if (n % 32) rows[words - 1] &= 0xffffffff >>> (32 - (n % 32)); // the empty term: only the sample's rows
    return { term: t, rows, count: popcount(rows) };
  };
  let below: { on: Covered[]; off: Covered[] }[] = [];
  const read = (l: number, vars: { vars: UnitVariable[]; bias: number }, target: Uint8Array) => {
    const on = unitTerms(vars.vars, vars.bias, true, termOpts, domainOf(l, target, true));
    const off = unitTerms(vars.vars, vars.bias, false, termOpts, domainOf(l, target, false));
    const wantOn = bitsWhere(n, (r) => target[r] === 1);
    const wantOff = bitsWhere(n, (r) => target[r] !== 1);
    if (l === 0) return { on: keepTerms(on.map(covered), opts.maxTerms, wantOn), off: keepTerms(off.map(covered), opts.maxTerms, wantOff) };
    // over the units below: the terms that cover most of the unit's rows on the sample, composed
    const hidden = unitOn(l - 1);
    const compose = (terms: Term[], want: Uint32Array) => {
      const inHidden = terms.map((t) => {
        const rows = bitsWhere(n, (r) => t.every((lit) => lit.values.includes(hidden[lit.v][r])));
        return { term: t, rows, count: popcount(rows) };
      });
      const chosen = coverFirst(inHidden, want, opts.maxTerms);
      const composed = chosen.flatMap((t) => substitute(t.term, below, opts.maxTerms, words, t.rows.map((x, w) => x & want[w])));
      return keepTerms(composed, opts.maxTerms, want);
    };
    return { on: compose(on, wantOn), off: compose(off, wantOff) };
  };
  for (let l = 0; l < layers.length - 1; l++) {
    ctx.progress?.(l, layers.length, 'tsukimoto');
    const layer = layers[l];
    const low = l === 0 ? 0 : layers[l - 1].activation === 'tanh' ? -1 : 0;
    const on = unitOn(l);
    const units = Array.from({ length: layer.outputSize }, (_, u) => read(l, l === 0 ? firstLayerVariables(layer, u, cols) : upperVariables(layer, u, low), on[u]));
    below = units;
  }
  const L = layers.length - 1;
  const lowTop = L === 0 ? 0 : layers[L - 1].activation === 'tanh' ? -1 : 0;
  const combine = out.outputSize === 2 ? 0 : undefined;
  const unit = out.outputSize === 2 ? 1 : 0;
  const reading = read(L, L === 0 ? firstLayerVariables(out, unit, cols, combine) : upperVariables(out, unit, lowTop, combine), Uint8Array.from(d.labels, (y) => (y === 1 ? 1 : 0)));
  ctx.progress?.(layers.length, layers.length, 'tsukimoto');

  // candidates: the terms of class 1 (the output on) and of class 0 (off)
  const cands: Candidate[] = [
    ...reading.on.map((t) => ({ conditions: termConditions(t.term, cols, d), cls: 1, kind: 'term' })),
    ...reading.off.map((t) => ({ conditions: termConditions(t.term, cols, d), cls: 0, kind: 'term' })),
  ];
  const predictBy = (terms: Covered[], cls: number) => Int32Array.from({ length: n }, (_, r) => (terms.some((t) => (t.rows[r >> 5] >>> (r & 31)) & 1) ? cls : 1 - cls));
  const fulls = [
    { terms: reading.on, cls: 1 },
    { terms: reading.off, cls: 0 },
  ].map((f) => ({ ...f, agreement: agreement(predictBy(f.terms, f.cls), d.labels) }));
  const full = fulls[0].agreement >= fulls[1].agreement ? fulls[0] : fulls[1];
  const fullList: DecisionListT = {
    kind: 'list',
    rules: full.terms.map((t) => ({ conditions: termConditions(t.term, cols, d), output: { class: d.classes[full.cls] } })),
    default: { class: d.classes[1 - full.cls] },
  };
  const fullCount = countRules(draft(ctx, d, fullList, opts));
  const before: ComplexityT = { rules: fullCount.rules, conditions: fullCount.conditions, fidelity: full.agreement };

  const bound: Bound = { maxRules: opts.maxRules, maxRuleConditions: opts.maxRuleConditions, maxConditions: opts.maxConditions };
  const sel = bestSelection(cands, d, bound);
  const list: DecisionListT = { kind: 'list', rules: selectionRules(sel, d.classes), default: { class: d.classes[sel.dflt] } };
  const simplified = simplifyRuleSet(draft(ctx, d, list, opts), d.sample, Float64Array.from(d.labels)).ruleSet;
  const after = simplified.simplification!.after;
  const rules = (simplified.surrogate as DecisionListT).rules.map(({ conditions, output }) => ({ conditions, output: { class: (output as { class: string }).class } }));
  const rs = await finishDecomposition(ctx, d, { kind: 'list', rules, default: list.default }, { ...opts });
  const simplification: NonNullable<RuleSet['simplification']> = { before, after };
  const lost = (before.fidelity ?? 0) - (after.fidelity ?? 0);
  const notes: string[] = [];
  if (full.agreement < 0.9) {
    // said first and whatever the bound did: the rules cannot be better than the units' reading
    notes.push(
      `the units' Boolean functions (terms up to order ${opts.maxOrder}, at most ${opts.maxTerms} per unit) agree with the network on only ${full.agreement.toFixed(3)} of the extraction sample: ` +
        `the units do not saturate, or need longer or more terms (raise maxOrder / maxTerms); use mofn, cart or trepan`,
    );
  }
  if (lost > 1e-9) {
    notes.push(
      `bounded to at most ${opts.maxRules} rules, ${opts.maxRuleConditions} conditions per rule and ${opts.maxConditions} in all: ` +
        `these rules agree with the network on ${after.fidelity!.toFixed(3)} of the extraction sample, all ${before.rules} composed terms on ${before.fidelity!.toFixed(3)} (-${lost.toFixed(3)}); raise maxRules / maxConditions to keep more`,
    );
  }
  if (notes.length) simplification.note = notes.join('; ');
  rs.simplification = simplification;
  return rs;
}

/** The rule set around a list, without fidelity (for counting and simplifying). */
function draft(ctx: ExtractContext, d: Decomposition, list: DecisionListT, opts: TsukimotoOptions): RuleSet {
  return assembleRuleSet({ ctx, method: 'tsukimoto', options: { ...opts }, surrogate: list, samples: d.sample.length });
}

/** `tsukimoto` in the extractor registry. */
export const tsukimotoExtractor: Extractor<TsukimotoOptions> = {
  name: 'tsukimoto',
  description: "Propositional rules from a sigmoid network, each unit read as its nearest Boolean function (Tsukimoto 2000); two classes",
  decompositional: true,
  options: TsukimotoOptionsSchema,
  defaults: tsukimotoDefaults,
  extract: extractTsukimoto,
};
