/**
 * The `cred` and `deepred` extractors: CRED (Sato & Tsukimoto 2001) and its extension to deep
 * networks, DeepRED (Zilke, Loza Mencía & Janssen 2016). One algorithm: CRED is DeepRED on a
 * network with one hidden layer.
 *
 * 1. A tree maps the last hidden layer's activations to the network's class: per class, a DNF of
 *    threshold terms `h_j > t` / `h_j <= t` on that layer.
 * 2. For every such term, a tree maps the layer below to whether the term holds: its `true`
 *    leaves are a DNF for the term, its `false` leaves one for the negation.
 * 3. Terms are substituted by their DNFs (products expanded), contradictions and conjunctions
 *    no sample row satisfies are dropped, and the step repeats down to the inputs.
 * 4. Input terms become conditions on the original columns; rules are pruned on the sample and
 *    ordered into a decision list with a default class.
 * The trees are the toolkit's CART learner (entropy criterion, as C4.5 in the papers).
 */
import { z } from 'zod';
import type { RuleSet, RuleT, ConditionT, DecisionListT } from '../../rules/schema.js';
import { evalConjunction, featureIndex } from '../../rules/evaluate.js';
import { InputError } from '../../util/errors.js';
import { fitTree, mergeEqualLeaves, treePaths, type TreeMatrix } from '../tree/index.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import type { ExtractContext, Extractor } from '../types.js';
import { columnCondition, decompositionHoldOut, finishDecomposition, listRuleStats, mergeConjunction, prepareDecomposition, readDenseNetwork, type Decomposition } from '../decompositional/index.js';

/** Options of `cred` and `deepred`: names, types, defaults and allowed values. */
export const CredOptionsSchema = z.strictObject({
  /** Depth limit of every tree (default 4). */
  maxDepth: z.number().int().min(1).default(4),
  /** Minimum sample rows in a tree leaf (default 2). */
  minSamplesLeaf: z.number().int().min(1).default(2),
  /** Most conjunctions kept per class after each substitution step, by support (default 200). */
  maxTerms: z.number().int().min(1).default(200),
  /** Prune conditions and rules on the sample (C4.5rules-style; default true). */
  prune: z.boolean().default(true),
  /** Share of the data held out to measure fidelity (default 0.2). */
  holdOut: decompositionHoldOut,
  /** Rows drawn from the training rows' per-column marginals and added to the extraction sample (default 0). */
  samples: z.number().int().min(0).default(0),
});

/** Options of `cred` and `deepred` (see {@link CredOptionsSchema}). */
export type CredOptions = z.output<typeof CredOptionsSchema>;

export const credDefaults: CredOptions = optionDefaults(CredOptionsSchema);

/** A threshold test on unit `unit` of layer `layer` (0: the encoded inputs). */
interface Term {
  layer: number;
  unit: number;
  greater: boolean;
  threshold: number;
}
type Conj = Term[];

/** The activations of layer `layer` as a tree input matrix. */
function layerMatrix(d: Decomposition, layer: number): TreeMatrix {
  const acts = d.activations[layer];
  const n = d.sample.length;
  const width = acts.length / Math.max(1, n);
  const columns = Array.from({ length: width }, (_, j) => {
    const c = new Float64Array(n);
    for (let r = 0; r < n; r++) c[r] = acts[r * width + j];
    return c;
  });
  return { n, features: columns.map((_, j) => ({ name: `${layer}:${j}`, kind: 'numeric' as const })), columns };
}

/** DNF per class of a tree fitted on layer `layer` (paths ending in a leaf of that class). */
function treeDnf(d: Decomposition, layer: number, X: TreeMatrix, y: Int32Array | Uint8Array, nClasses: number, opts: CredOptions): Conj[][] {
  const tree = mergeEqualLeaves(fitTree(X, y, { criterion: 'entropy', maxDepth: opts.maxDepth, minSamplesLeaf: opts.minSamplesLeaf, nClasses }));
  const out: Conj[][] = Array.from({ length: nClasses }, () => []);
  for (const p of treePaths(tree)) {
    const conj: Conj = p.steps.map((s) => {
      if (s.split.kind !== 'numeric') throw new Error('cred: unexpected categorical split');
      // the tree's split is `x <= t`: it holds on the yes side
      return { layer, unit: s.split.feature, greater: !s.holds, threshold: s.split.threshold };
    });
    const merged = simplifyConj(conj);
    if (merged) out[p.leaf.prediction].push(merged);
  }
  return out;
}

/** Tightest bounds per unit; null when the conjunction is contradictory. */
function simplifyConj(conj: Conj): Conj | null {
  const bounds = new Map<string, { layer: number; unit: number; low: number; high: number }>();
  for (const t of conj) {
    const k = `${t.layer}:${t.unit}`;
    const b = bounds.get(k) ?? { layer: t.layer, unit: t.unit, low: -Infinity, high: Infinity };
    if (t.greater) b.low = Math.max(b.low, t.threshold);
    else b.high = Math.min(b.high, t.threshold);
    bounds.set(k, b);
  }
  const out: Conj = [];
  for (const b of bounds.values()) {
    if (b.low >= b.high) return null;
    if (b.low > -Infinity) out.push({ layer: b.layer, unit: b.unit, greater: true, threshold: b.low });
    if (b.high < Infinity) out.push({ layer: b.layer, unit: b.unit, greater: false, threshold: b.high });
  }
  return out;
}

/** Sample rows where every term holds. */
function support(d: Decomposition, conj: Conj): number {
  const n = d.sample.length;
  let s = 0;
  outer: for (let r = 0; r < n; r++) {
    for (const t of conj) {
      const acts = d.activations[t.layer];
      const v = acts[r * (acts.length / n) + t.unit];
      if (t.greater ? !(v > t.threshold) : !(v <= t.threshold)) continue outer;
    }
    s++;
  }
  return s;
}

const conjKey = (c: Conj) =>
  c
    .map((t) => `${t.layer}:${t.unit}${t.greater ? '>' : '<='}${t.threshold}`)
    .sort()
    .join('&');

/** Keeps satisfied, distinct conjunctions, at most `max` of them (largest support first). */
function pruneDnf(d: Decomposition, dnf: Conj[], max: number): Conj[] {
  const seen = new Set<string>();
  const scored: { c: Conj; s: number; i: number }[] = [];
  dnf.forEach((c, i) => {
    const k = conjKey(c);
    if (seen.has(k)) return;
    seen.add(k);
    const s = support(d, c);
    if (s > 0) scored.push({ c, s, i });
  });
  scored.sort((a, b) => b.s - a.s || a.i - b.i);
  return scored.slice(0, max).map((x) => x.c);
}

/**
 * Runs CRED/DeepRED on a prepared decomposition: per class, a DNF of conditions on the original
 * columns.
 */
function credDnfs(d: Decomposition, opts: CredOptions, progress?: ExtractContext['progress']): ConditionT[][][] {
  const top = d.net.layers.length - 1; // index of the last hidden layer's activations
  const k = d.classes.length;
  let dnfs = treeDnf(d, top, layerMatrix(d, top), d.labels, k, opts);
  for (let layer = top; layer >= 1; layer--) {
    progress?.(top - layer, top, d.method);
    const below = layerMatrix(d, layer - 1);
    const acts = d.activations[layer];
    const width = acts.length / d.sample.length;
    const cache = new Map<string, Conj[][]>();
    const termDnf = (t: Term): Conj[] => {
      const key = `${t.unit}:${t.threshold}`;
      let pair = cache.get(key);
      if (!pair) {
        const y = Uint8Array.from({ length: d.sample.length }, (_, r) => (acts[r * width + t.unit] > t.threshold ? 1 : 0));
        pair = treeDnf(d, layer - 1, below, y, 2, opts);
        cache.set(key, pair);
      }
      return t.greater ? pair[1] : pair[0];
    };
    dnfs = dnfs.map((dnf) => {
      const out: Conj[] = [];
      for (const conj of dnf) {
        // expand the product term by term, dropping contradictions and unsatisfied partial terms
        let partial: Conj[] = [conj.filter((t) => t.layer !== layer)];
        for (const t of conj.filter((x) => x.layer === layer)) {
          const next: Conj[] = [];
          for (const p of partial) {
            for (const alt of termDnf(t)) {
              const c = simplifyConj([...p, ...alt]);
              if (c) next.push(c);
            }
          }
          partial = pruneDnf(d, next, opts.maxTerms);
        }
        out.push(...partial);
      }
      return pruneDnf(d, out, opts.maxTerms);
    });
  }
  progress?.(top, top, d.method);
  // input terms -> conditions on the original columns
  return dnfs.map((dnf) =>
    dnf.flatMap((conj) => {
      const conds: ConditionT[] = [];
      for (const t of conj) {
        const c = columnCondition(d.columns[t.unit], t.greater, t.threshold);
        if (c === false) return [];
        if (c !== true) conds.push(c);
      }
      const merged = mergeConjunction(conds, d.features);
      return merged ? [merged] : [];
    }),
  );
}

/** Sample accuracy (against the network's labels) of a decision list. */
function listAccuracy(d: Decomposition, rules: readonly RuleT[], dflt: string): number {
  const index = featureIndex({ features: d.features });
  let ok = 0;
  for (let r = 0; r < d.sample.length; r++) {
    const fired = rules.find((x) => evalConjunction(x.conditions, d.sample[r], index));
    const cls = fired ? (fired.output as { class: string }).class : dflt;
    if (cls === d.classes[d.labels[r]]) ok++;
  }
  return ok / Math.max(1, d.sample.length);
}

/** Majority network class among sample rows no rule covers (all rows when every row is covered). */
function defaultClass(d: Decomposition, rules: readonly RuleT[]): string {
  const index = featureIndex({ features: d.features });
  const counts = new Array<number>(d.classes.length).fill(0);
  const all = new Array<number>(d.classes.length).fill(0);
  for (let r = 0; r < d.sample.length; r++) {
    all[d.labels[r]]++;
    if (!rules.some((x) => evalConjunction(x.conditions, d.sample[r], index))) counts[d.labels[r]]++;
  }
  const use = counts.some((c) => c > 0) ? counts : all;
  let best = 0;
  for (let c = 1; c < use.length; c++) if (use[c] > use[best]) best = c;
  return d.classes[best];
}

/** Greedy C4.5rules-style pruning: drop a rule's conditions while its sample precision does not fall. */
function pruneConditions(d: Decomposition, rule: RuleT): RuleT {
  let conds = rule.conditions;
  const precision = (cs: ConditionT[]) => listRuleStats([{ ...rule, conditions: cs }], d)[0].stats!.precision ?? 0;
  let best = precision(conds);
  for (let changed = true; changed && conds.length > 0; ) {
    changed = false;
    for (let i = 0; i < conds.length; i++) {
      const without = conds.filter((_, j) => j !== i);
      const p = precision(without);
      if (p >= best) {
        conds = without;
        best = p;
        changed = true;
        break;
      }
    }
  }
  return { ...rule, conditions: conds };
}

/** The decision list from per-class DNFs: rules by precision, redundant ones dropped, majority default. */
function assembleList(d: Decomposition, dnfs: ConditionT[][][], opts: CredOptions): DecisionListT {
  let rules: RuleT[] = dnfs.flatMap((dnf, c) => dnf.map((conditions) => ({ conditions, output: { class: d.classes[c] } })));
  if (opts.prune) rules = rules.map((r) => pruneConditions(d, r));
  const seen = new Set<string>();
  rules = rules.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const stats = listRuleStats(rules, d);
  const order = rules.map((_, i) => i);
  order.sort((a, b) => (stats[b].stats!.precision ?? 0) - (stats[a].stats!.precision ?? 0) || stats[b].stats!.support - stats[a].stats!.support || a - b);
  rules = order.map((i) => rules[i]).filter((_, i) => stats[order[i]].stats!.support > 0);
  let dflt = defaultClass(d, rules);
  if (opts.prune) {
    // drop rules, last first, while the list's sample accuracy does not fall
    let acc = listAccuracy(d, rules, dflt);
    for (let i = rules.length - 1; i >= 0; i--) {
      const without = rules.filter((_, j) => j !== i);
      const dw = defaultClass(d, without);
      const a = listAccuracy(d, without, dw);
      if (a >= acc) {
        rules = without;
        dflt = dw;
        acc = a;
      }
    }
  }
  return { kind: 'list', rules, default: { class: dflt } };
}

/**
 * DeepRED (Zilke, Loza Mencía & Janssen 2016): rules over the original columns from a network
 * of any depth, by trees from each layer's activations to the terms of the layer above.
 *
 * @throws InputError when the black box exposes no weights, the network has no hidden layer, or
 *   options are out of range.
 * @example
 * const rs = await extractDeepRed({ model, data, seed: 42 }, { maxDepth: 3 }); // rs.surrogate.kind === 'list'
 */
export async function extractDeepRed(ctx: ExtractContext, options: Partial<CredOptions> = {}, method = 'deepred'): Promise<RuleSet> {
  const opts = parseOptions(CredOptionsSchema, options, { method });
  const net = readDenseNetwork(ctx.model, method);
  const hidden = net.layers.length - 1;
  if (hidden < 1) throw new InputError(`${method} needs a network with a hidden layer; this one has none: use cart or trepan`);
  if (method === 'cred' && hidden > 1) {
    throw new InputError(`cred handles networks with one hidden layer; this one has ${hidden}: use deepred`);
  }
  const d = await prepareDecomposition(ctx, method, { holdOut: opts.holdOut, samples: opts.samples });
  const dnfs = credDnfs(d, opts, ctx.progress);
  const list = assembleList(d, dnfs, opts);
  return finishDecomposition(ctx, d, list, { ...opts });
}

/**
 * CRED (Sato & Tsukimoto 2001): DeepRED restricted to networks with one hidden layer.
 *
 * @throws InputError for a deeper network (use deepred), or as {@link extractDeepRed}.
 * @example
 * const rs = await extractCred({ model, data, seed: 42 });
 */
export function extractCred(ctx: ExtractContext, options: Partial<CredOptions> = {}): Promise<RuleSet> {
  return extractDeepRed(ctx, options, 'cred');
}

/** `cred` in the extractor registry. */
export const credExtractor: Extractor<CredOptions> = {
  name: 'cred',
  description: 'Decision-tree rules through the one hidden layer of a network (CRED, Sato & Tsukimoto 2001)',
  decompositional: true,
  tasks: ['classification'],
  options: CredOptionsSchema,
  defaults: credDefaults,
  extract: extractCred,
};

/** `deepred` in the extractor registry. */
export const deepredExtractor: Extractor<CredOptions> = {
  name: 'deepred',
  description: 'Decision-tree rules layer by layer through a deep network (DeepRED, Zilke et al. 2016)',
  decompositional: true,
  tasks: ['classification'],
  options: CredOptionsSchema,
  defaults: credDefaults,
  extract: (ctx, options) => extractDeepRed(ctx, options, 'deepred'),
};
