/**
 * ANN-DT's tree growth: best-first over the network-labelled sample, each node topped up with rows
 * drawn around its own training rows before its split is chosen, the split attribute chosen by
 * gain (ANN-DT(e)) or by the network's sensitivity (ANN-DT(s)), the split point on it by the
 * criterion. The split search itself is the CART learner's (`fitTree` on the node's rows, one
 * level deep, optionally restricted to one column).
 */
import { appendRows, pickRows, type DataTable } from '../../data/table.js';
import type { Feature, Row } from '../../data/types.js';
import type { TabularModel } from '../../model/types.js';
import { negateCondition } from '../../rules/negateCondition.js';
import type { ConditionT } from '../../rules/schema.js';
import { isInputError } from '../../util/errors.js';
import type { PedagogicalSample } from '../pedagogical.js';
import { fitTree, rowsToTreeMatrix, splitHolds, splitToCondition, type FittedTree, type TreeNodeData, type TreeSplit } from '../tree/index.js';
import { inputSignificance } from './sensitivity.js';

/** What {@link growAnnDt} needs to know (the extractor's options, checked). */
export interface GrowOptions {
  selection: 'gain' | 'sensitivity';
  criterion: 'entropy' | 'gini' | 'variance';
  maxDepth: number;
  maxLeaves: number;
  minSamplesLeaf: number;
  minSamples: number;
  minDataRows: number;
  minGain: number;
  /** Nearest training neighbours a drawn row moves towards. */
  neighbours: number;
  probes: number;
  steps: number;
}

interface Work {
  node: TreeNodeData;
  rows: DataTable;
  labels: Float64Array;
  /** Which rows are real (extraction rows), not drawn. */
  real: Uint8Array;
  region: ConditionT[];
  /** Estimated share of inputs reaching the node. */
  reach: number;
}

/**
 * Grows the tree (see the module comment). Node weights are the estimated share of inputs that
 * reach the node (the parent's, split in the proportion of the parent's rows), so that
 * cost-complexity pruning weighs nodes by reach although deeper nodes were topped up; `n` is the
 * number of rows the node was decided on.
 *
 * @param rows the initial sample (extraction rows first, then drawn rows) with the model's labels
 * @param nReal how many of `rows` are extraction rows
 */
export async function growAnnDt(
  s: PedagogicalSample,
  model: TabularModel,
  rows: DataTable,
  labels: Float64Array,
  nReal: number,
  opts: GrowOptions,
): Promise<FittedTree> {
  const features: Feature[] = s.features;
  const task = model.task;
  const K = task === 'classification' ? (model.classes?.length ?? 2) : 0;
  const treeFeatures = rowsToTreeMatrix([], features).features;
  let nextId = 0;
  const W0 = rows.n;
  const makeNode = (ls: Float64Array, depth: number, reach: number): TreeNodeData => {
    const n = ls.length;
    let value: number[];
    let prediction = 0;
    let impurity = 0;
    if (task === 'classification') {
      const counts = new Array<number>(K).fill(0);
      for (const l of ls) counts[l]++;
      value = counts.map((c) => (n ? c / n : 0));
      for (let c = 1; c < K; c++) if (counts[c] > counts[prediction]) prediction = c;
      for (const p of value) impurity += opts.criterion === 'entropy' ? (p > 0 ? -p * Math.log2(p) : 0) : p * (1 - p);
    } else {
      let sum = 0;
      let sq = 0;
      for (const v of ls) {
        sum += v;
        sq += v * v;
      }
      prediction = n ? sum / n : 0;
      value = [prediction];
      impurity = n ? Math.max(0, sq / n - prediction * prediction) : 0;
    }
    return { id: nextId++, depth, n, weight: reach * W0, impurity, value, prediction };
  };

  const root: Work = { node: makeNode(labels, 0, 1), rows, labels, real: Uint8Array.from({ length: rows.n }, (_, i) => (i < nReal ? 1 : 0)), region: [], reach: 1 };
  const rootImpurity = root.node.impurity;
  const open: Work[] = [root];
  let leaves = 1;
  const priority = (w: Work) => w.reach * (task === 'classification' ? 1 - (w.node.value[w.node.prediction] ?? 0) : w.node.impurity);
  while (open.length > 0 && leaves < opts.maxLeaves) {
    // Best-first: the node where a split could fix the most (reach × error), the older on ties.
    let bi = 0;
    for (let i = 1; i < open.length; i++) {
      const a = priority(open[i]);
      const b = priority(open[bi]);
      if (a > b || (a === b && open[i].node.id < open[bi].node.id)) bi = i;
    }
    const w = open.splice(bi, 1)[0];
    if (priority(w) <= 0) break;
    await topUp(w);
    const split = await chooseSplit(w);
    if (!split) continue;
    const X = rowsToTreeMatrix(w.rows, features);
    const yes: number[] = [];
    const no: number[] = [];
    for (let i = 0; i < w.rows.n; i++) (splitHolds(split.split, X, i) ? yes : no).push(i);
    if (yes.length === 0 || no.length === 0) continue;
    const condition = splitToCondition(split.split, { features: treeFeatures });
    const child = (idx: number[], cond: ConditionT): Work => {
      const ls = Float64Array.from(idx, (i) => w.labels[i]);
      const reach = (w.reach * idx.length) / w.rows.n;
      return {
        node: makeNode(ls, w.node.depth + 1, reach),
        rows: pickRows(w.rows, idx),
        labels: ls,
        real: Uint8Array.from(idx, (i) => w.real[i]),
        region: [...w.region, cond],
        reach,
      };
    };
    const a = child(yes, condition);
    const b = child(no, negateCondition(condition));
    w.node.split = split.split;
    w.node.gain = split.gain;
    w.node.yes = a.node;
    w.node.no = b.node;
    leaves++;
    for (const c of [a, b]) if (splittable(c)) open.push(c);
  }
  return { task, criterion: opts.criterion, features: treeFeatures, nClasses: K, root: root.node };

  function splittable(w: Work): boolean {
    let real = 0;
    for (const r of w.real) real += r;
    return w.node.depth < opts.maxDepth && real >= opts.minDataRows && w.node.impurity > 1e-12;
  }

  /** Rows drawn around the node's training rows (inside its region) up to `minSamples`; the node's figures are re-measured. */
  async function topUp(w: Work): Promise<void> {
    const short = opts.minSamples - w.rows.n;
    if (short <= 0) return;
    let extra: Row[];
    try {
      extra = s.drawNear(short, { region: w.region, k: opts.neighbours });
    } catch (e) {
      if (isInputError(e)) return; // no training row lies in the region: nothing to draw around
      throw e;
    }
    const extraLabels = await s.label(extra);
    const labels = new Float64Array(w.rows.n + extra.length);
    labels.set(w.labels);
    labels.set(extraLabels, w.rows.n);
    const real = new Uint8Array(labels.length);
    real.set(w.real);
    w.rows = appendRows(w.rows, extra);
    w.labels = labels;
    w.real = real;
    const fresh = makeNode(labels, w.node.depth, w.reach);
    Object.assign(w.node, { n: fresh.n, impurity: fresh.impurity, value: fresh.value, prediction: fresh.prediction });
  }

  /** The node's split: by gain over every input, or on the most significant input that splits at all. */
  async function chooseSplit(w: Work): Promise<{ split: TreeSplit; gain: number } | null> {
    if (w.rows.n < 2 * opts.minSamplesLeaf) return null;
    const X = rowsToTreeMatrix(w.rows, features);
    const stump = (splitFeatures?: number[]) => {
      const t = fitTree(X, w.labels, {
        task,
        criterion: opts.criterion,
        nClasses: task === 'classification' ? K : undefined,
        maxDepth: 1,
        minSamplesLeaf: opts.minSamplesLeaf,
        splitFeatures,
      });
      return t.root.split ? { split: t.root.split, gain: t.root.gain ?? 0 } : null;
    };
    const enough = (g: number) => g > 1e-12 && (rootImpurity <= 0 || g >= opts.minGain * rootImpurity);
    if (opts.selection === 'gain') {
      const best = stump();
      return best && enough(best.gain) ? best : null;
    }
    const sig = await inputSignificance(model, w.rows, features, s.integerFeatures, { probes: opts.probes, steps: opts.steps });
    const order = Array.from(sig.keys()).filter((j) => sig[j] > 0).sort((a, b) => sig[b] - sig[a] || a - b);
    for (const j of order) {
      const best = stump([j]);
      if (best && enough(best.gain)) return best;
    }
    return null;
  }
}
