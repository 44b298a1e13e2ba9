/**
 * DeepRED's search (Zilke, Loza Mencía & Janssen 2016) from the last hidden layer down to the
 * original columns, with its intermediate rule sets pruned as they are formed and a time budget:
 *
 * 1. a tree from the last hidden layer to the network's class gives a DNF per class;
 * 2. per layer, every term of the DNFs gets a tree from the layer below to whether the term holds
 *    (cached per term; below the first hidden layer, the tree is fitted on the original columns);
 *    each conjunction is expanded term by term into the product of those trees' DNFs, keeping at
 *    most `maxTerms` partial products (those covering most rows of the class);
 * 3. each class's new conjunctions lose the literals they do not need and are reduced to a small
 *    set that covers the class (select.ts); then the next layer.
 *
 * Conjunctions are expanded most important first (the order of the cover, round robin over the
 * classes), so that when the time budget runs out, what is left out is what matters least. Layer
 * by layer, the search may use a cumulative share of 80 % of the time budget (the rest is for
 * the final list).
 */
import type { ConditionT } from '../../rules/schema.js';
import { andRows, countAnd, countRows, rowSetWhere, type RowSet } from '../../util/bitset.js';
import type { ProgressFn } from '../../util/progress.js';
import { createRng, substream } from '../../util/rng.js';
import type { Decomposition, SearchBudget } from '../decompositional/index.js';
import { coverClass, distinct, pruneTerms } from './select.js';
import { HiddenLayer, InputLayer, type Conj, type Layer, type Term, type TreeSettings } from './terms.js';

/** Settings of the search (from the extractor's options). */
export interface SubstituteSettings extends TreeSettings {
  /** Most conjunctions per class kept after each step, and partial products per conjunction. */
  maxTerms: number;
  /** Most sample rows a tree is fitted on (a seeded subset of the sample when it has more). */
  treeRows: number;
  /** Seed of that subset. */
  seed: number;
}

/** Share of the time budget the layer-by-layer search may use. */
const SEARCH_SHARE = 0.8;

/**
 * Depth of the top tree: `maxDepth`, or more when needed for a leaf per class and as many again
 * (2^depth >= 2 × classes).
 *
 * @example
 * topDepth(4, 26); // 6
 */
export function topDepth(maxDepth: number, classes: number): number {
  return Math.max(maxDepth, Math.ceil(Math.log2(Math.max(2, classes))) + 1);
}

/**
 * Per class, the DNF over the original columns, found layer by layer, and the input layer (its
 * condition rows cached).
 *
 * @example
 * const { dnfs, inputs } = substituteLayers(d, { maxDepth: 4, minSamplesLeaf: 2, maxTerms: 50 }, searchBudget(60));
 * // dnfs[c]: conjunctions of conditions on the original columns for class c, with their sample rows
 */
export function substituteLayers(d: Decomposition, s: SubstituteSettings, budget: SearchBudget, progress?: ProgressFn): { dnfs: Conj<ConditionT>[][]; inputs: InputLayer } {
  const top = d.net.layers.length - 1; // index of the last hidden layer's activations
  const k = d.classes.length;
  const n = d.sample.length;
  const classRows: RowSet[] = Array.from({ length: k }, (_, c) => rowSetWhere(n, (r) => d.labels[r] === c));
  const minGain = Math.max(1, s.minSamplesLeaf);
  const label = (layer: number) => `${d.method} layer ${layer}`;

  const fitRows = n > s.treeRows ? Int32Array.from(createRng(substream(s.seed, 'trees')).shuffle(Array.from({ length: n }, (_, i) => i)).slice(0, s.treeRows)).sort() : null;
  let upper = new HiddenLayer(d, top, fitRows);
  progress?.(0, 1, label(top));
  const topDnf = upper.treeDnf(d.labels, k, { ...s, maxDepth: topDepth(s.maxDepth, k) });
  let dnfs = topDnf.map((dnf, c) => reduceClass(dnf, upper, classRows[c], s.maxTerms, minGain, budget, `layer ${top}`));
  progress?.(1, 1, label(top));
  for (let layer = top; layer > 1; layer--) {
    const below = new HiddenLayer(d, layer - 1, fitRows);
    dnfs = substituteStep(d, upper, below, dnfs, classRows, s, minGain, budget, SEARCH_SHARE * ((top - layer + 1) / top), label(layer - 1), progress);
    upper = below;
  }
  const inputs = new InputLayer(d, fitRows);
  return { dnfs: substituteStep(d, upper, inputs, dnfs, classRows, s, minGain, budget, SEARCH_SHARE, `${d.method} inputs`, progress), inputs };
}

/** One substitution: the DNFs on `upper` rewritten over `below`. */
function substituteStep<L>(
  d: Decomposition,
  upper: HiddenLayer,
  below: Layer<L>,
  dnfs: Conj<Term>[][],
  classRows: RowSet[],
  s: SubstituteSettings,
  minGain: number,
  budget: SearchBudget,
  share: number,
  label: string,
  progress?: ProgressFn,
): Conj<L>[][] {
  const n = d.sample.length;
  const k = classRows.length;
  const trees = new Map<string, Conj<L>[][]>();
  const col = (unit: number) => upper.matrix.columns[unit];
  const termDnf = (t: Term): Conj<L>[] => {
    const key = `${t.unit}:${t.threshold}`;
    let pair = trees.get(key);
    if (!pair) {
      const h = col(t.unit);
      const y = new Uint8Array(n);
      for (let r = 0; r < n; r++) y[r] = h[r] > t.threshold ? 1 : 0;
      pair = below.treeDnf(y, 2, s);
      trees.set(key, pair);
    }
    return t.greater ? pair[1] : pair[0];
  };
  // most important first: the i-th conjunction of every class before the (i+1)-th of any
  const work: { c: number; conj: Conj<Term> }[] = [];
  const longest = Math.max(0, ...dnfs.map((x) => x.length));
  for (let i = 0; i < longest; i++) for (let c = 0; c < k; c++) if (i < dnfs[c].length) work.push({ c, conj: dnfs[c][i] });
  const expanded: Conj<L>[][] = Array.from({ length: k }, () => []);
  let done = 0;
  for (const { c, conj } of work) {
    if (budget.spent(share)) break;
    progress?.(done, work.length, label);
    expanded[c].push(...expand(conj, upper, below, termDnf, classRows[c], s.maxTerms));
    done++;
  }
  if (done < work.length) {
    const at = budget.elapsed();
    budget.cut(
      `time: ${at.toFixed(at < 10 ? 1 : 0)} s into the ${budget.seconds} s budget (maxSeconds), ${work.length - done} of the ${work.length} conjunctions on layer ${upper.layer} were left out`,
    );
  }
  progress?.(work.length, work.length, label);
  // on the inputs, the list's own size budget (maxRules) decides, and says what it costs
  const where = below instanceof InputLayer ? null : `layer ${upper.layer - 1}`;
  return expanded.map((cands, c) => reduceClass(cands, below, classRows[c], s.maxTerms, minGain, budget, where));
}

/**
 * The product of the DNFs of `conj`'s terms, expanded term by term; contradictory products and
 * those covering no row of the class are dropped, and at most `max` partial products are kept
 * after each term (most rows of the class first, then fewest other rows, then fewest literals).
 */
function expand<L>(conj: Conj<Term>, upper: HiddenLayer, below: Layer<L>, termDnf: (t: Term) => Conj<L>[], pos: RowSet, max: number): Conj<L>[] {
  let partial: { lits: L[]; rows: RowSet; tp: number; fp: number }[] = [{ lits: [], rows: below.everyRow, tp: 0, fp: 0 }];
  // the terms with the fewest alternatives first: fewer partial products early
  const order = [...conj.lits].sort((a, b) => termDnf(a).length - termDnf(b).length || upper.litKey(a).localeCompare(upper.litKey(b)));
  for (const t of order) {
    const next: typeof partial = [];
    for (const p of partial) {
      for (const alt of termDnf(t)) {
        const lits = below.merge([...p.lits, ...alt.lits]);
        if (!lits) continue;
        const rows = andRows(p.rows, alt.rows);
        const tp = countAnd(rows, pos);
        if (tp === 0) continue;
        next.push({ lits, rows, tp, fp: countRows(rows) - tp });
      }
    }
    next.sort((a, b) => b.tp - a.tp || a.fp - b.fp || a.lits.length - b.lits.length);
    partial = next.slice(0, max);
    if (partial.length === 0) return [];
  }
  return partial.map((p) => ({ lits: p.lits, rows: p.rows }));
}

/**
 * A class's candidate conjunctions on one layer reduced: unneeded literals dropped, duplicates
 * removed, then the greedy cover of at most `max`. When `max` stops a cover that could go on on a
 * hidden layer (`where`), the budget records the cut.
 */
function reduceClass<L>(cands: Conj<L>[], layer: Layer<L>, pos: RowSet, max: number, minGain: number, budget: SearchBudget, where: string | null): Conj<L>[] {
  const pruned = distinct(
    distinct(cands, layer).map((c) => pruneTerms(c, layer, pos)),
    layer,
  );
  const { chosen, truncated } = coverClass(pruned, pos, max, minGain);
  if (truncated && where) budget.cut(`size: at most ${max} conjunctions per class kept on ${where} (maxTerms)`);
  return chosen;
}
