/**
 * `trepan`: TREPAN (Craven & Shavlik, "Extracting tree-structured representations of trained
 * networks", NIPS 1996). A decision tree with M-of-N splits grown best-first by the fidelity it
 * can gain; every node draws as many model-labelled rows as it needs from the training marginals
 * restricted to the node's region, so deep nodes are decided on enough data.
 */
import { z } from 'zod';
import { appendRows, pickRows, rowCount, rowOf, rowReader, rowsOf, type DataTable, type RowsLike } from '../../data/table.js';
import type { Row } from '../../data/types.js';
import { evalCondition, featureIndex } from '../../rules/evaluate.js';
import { negateCondition } from '../../rules/negateCondition.js';
import type { ConditionT, OutputT, RuleSet, RuleStatsT, TreeNodeT } from '../../rules/schema.js';
import { InputError, isInputError } from '../../util/errors.js';
import { optionDefaults, parseOptions } from '../../util/options.js';
import { holdOutOption } from '../common.js';
import { autoSampler } from '../cart/cart.js';
import { pedagogical, type PedagogicalSample } from '../pedagogical.js';
import type { ExtractContext, Extractor } from '../types.js';
import { candidateLiterals, findBestTest, pruneMembers, refineThresholds, testCondition } from './mofnSearch.js';

/** Options of the `trepan` extractor: names, types, defaults and allowed values. */
export const TrepanOptionsSchema = z.strictObject({
  /** Size limit: at most this many internal (split) nodes (default 8). */
  maxNodes: z.number().int().min(1).max(10_000).default(8),
  /** Rows each node must have before its split is chosen; the shortfall is sampled (default 1000). */
  minSamples: z.number().int().min(10).max(1_000_000).default(1000),
  /** M-of-N beam width (default 2). */
  beamWidth: z.number().int().min(1).max(10).default(2),
  /** Search M-of-N tests (default true); false: single tests only. */
  mofn: z.boolean().default(true),
  /** Minimum information gain (bits) of a split (default 0.01). */
  minGain: z.number().min(0).default(0.01),
  /** Minimum gain (bits) each M-of-N extension must add in the beam search (default 0.02). */
  minImprovement: z.number().min(0).default(0.02),
  /**
   * After the search, members of an M-of-N test whose removal costs the split less gain than this
   * (bits) are dropped (default 0.05), so that tests keep only members that change the split: on
   * WDBC, keeping every member the search added gave 5-member tests at every node and 135
   * conditions in all, for no more fidelity.
   */
  minMemberGain: z.number().min(0).default(0.05),
  /** Largest number of literals in one M-of-N test (default 5). */
  maxN: z.number().int().min(1).max(32).default(5),
  /** A node is a leaf when its majority share is at least this with 95 % confidence (default 0.99). */
  purity: z.number().min(0.5).max(1).default(0.99),
  /** Best-gain thresholds per numeric feature offered as literals, besides the quartiles (default 3). */
  maxThresholds: z.number().int().min(1).max(50).default(3),
  /**
   * Nodes whose priority reach × (1 − fidelity), the most fidelity expanding them could add, is
   * below this are not expanded (default 0.005).
   */
  minPriority: z.number().min(0).max(1).default(0.005),
  /** Largest number of a node's rows the split search looks at (an even subsample beyond; default 3000). */
  searchRows: z.number().int().min(100).max(1_000_000).default(3000),
  /**
   * Where a node's extra rows come from: `marginals` (TREPAN's: each column independently from its
   * training distribution, restricted to the node's region), `mixed` (`nearbyShare` of them drawn
   * around the training rows in the region, as ANN-DT does, the rest from the marginals), or `auto`
   * (default: `mixed` when two numeric columns correlate with |r| >= 0.5, otherwise `marginals`).
   */
  sampler: z.enum(['auto', 'marginals', 'mixed']).default('auto'),
  /** For `mixed`: share of a node's extra rows drawn around the training rows (default 0.75). */
  nearbyShare: z.number().min(0).max(1).default(0.75),
  /**
   * After growth, splits are collapsed bottom-up while that costs in total at most this share of
   * agreement with the model on the real extraction rows (reduced-error pruning; default 0.01; 0:
   * only collapses that cost nothing).
   */
  pruneTolerance: z.number().min(0).max(0.2).default(0.01),
  /** Share of the data held out from extraction to measure fidelity (default 0.2). */
  holdOut: holdOutOption,
});

/** Options of the `trepan` extractor (see {@link TrepanOptionsSchema}). */
export type TrepanOptions = z.output<typeof TrepanOptionsSchema>;

export const TREPAN_DEFAULTS: TrepanOptions = optionDefaults(TrepanOptionsSchema);

interface Node {
  id: number;
  rows: DataTable;
  labels: Int32Array;
  region: ConditionT[];
  /** Estimated share of all inputs reaching the node. */
  reach: number;
  counts: number[];
  majority: number;
  fidelity: number;
  condition?: ConditionT;
  yes?: Node;
  no?: Node;
}

/** Wilson lower bound (one-sided 95 %) of a proportion k/n. */
function wilsonLower(k: number, n: number): number {
  if (n === 0) return 0;
  const z = 1.6449;
  const p = k / n;
  const den = 1 + (z * z) / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return (centre - spread) / den;
}

/**
 * Extracts a TREPAN tree (see the module comment).
 *
 * The tree grows best-first: the leaf with the largest `reach × (1 − fidelity)` is expanded next,
 * where reach is the estimated share of inputs arriving there and fidelity the share of its rows
 * whose model label is its majority label. Each node first tops its rows up to `minSamples` with
 * rows drawn from the marginals restricted to its region (`sampleMarginals` with the conjunction
 * of the tests on its path, negated on `no` steps) and labelled by the model. Its split is the
 * best M-of-N test found by beam search (`findBestTest`); growth stops at `maxNodes` internal
 * nodes, where no test gains `minGain` bits, where a node is pure with 95 % confidence
 * (`purity`), or when no node's priority reaches `minPriority`. Leaves predict the majority model label of their rows. Sibling leaves with the same
 * class are merged at the end.
 *
 * @throws InputError for regression models, bad options, or data that does not fit the model
 * @example
 * const rs = await extractTrepan({ model, data, seed: 42 }, { maxNodes: 8 });
 * // rs.surrogate.root.condition: { type: 'mofn', m: 2, conditions: [...] }
 */
export async function extractTrepan(ctx: ExtractContext, options: Partial<TrepanOptions> = {}): Promise<RuleSet> {
  const opts = parseOptions(TrepanOptionsSchema, options, { method: 'trepan' });
  const model = ctx.model;
  if (model.task !== 'classification' || !model.classes) {
    throw new InputError('trepan extracts classification trees; the model is a regression model (use --method cart)');
  }
  const classes = model.classes;
  return pedagogical(ctx, 'trepan', opts, async (s) => ({ surrogate: { kind: 'tree', root: await growTrepan(s, opts, classes) } }));
}

/** Grows the TREPAN tree on the pedagogical sample `s` (see {@link extractTrepan}). */
async function growTrepan(s: PedagogicalSample, opts: TrepanOptions, classes: readonly string[]): Promise<TreeNodeT> {
  const { ctx, features, heldOut } = s;
  const K = classes.length;
  const index = featureIndex({ features });
  const progress = (done: number) => ctx.progress?.(done, opts.maxNodes, 'trepan nodes');

  let nextId = 0;
  const rootLabels = Int32Array.from(await s.trainLabels());
  const sampler = opts.sampler === 'auto' ? autoSampler(heldOut.train, features) : opts.sampler;
  const nearShare = sampler === 'mixed' ? opts.nearbyShare : 0;
  const root = await makeNode(heldOut.train, rootLabels, [], 1);

  async function makeNode(rows: DataTable, labels: Int32Array, region: ConditionT[], reach: number): Promise<Node> {
    let allRows = rows;
    let allLabels = labels;
    if (rows.n < opts.minSamples) {
      const extra = drawRegion(s, opts.minSamples - rows.n, region, nearShare);
      if (extra.length > 0) {
        const extraLabels = await s.label(extra);
        allRows = appendRows(rows, extra);
        allLabels = new Int32Array(rows.n + extra.length);
        allLabels.set(labels);
        allLabels.set(Int32Array.from(extraLabels), rows.n);
      }
    }
    const counts = new Array<number>(K).fill(0);
    for (const l of allLabels) counts[l]++;
    let majority = 0;
    for (let c = 1; c < K; c++) if (counts[c] > counts[majority]) majority = c;
    const n = allLabels.length;
    return { id: nextId++, rows: allRows, labels: allLabels, region, reach, counts, majority, fidelity: n ? counts[majority] / n : 1 };
  }

  const isPure = (node: Node) => node.labels.length === 0 || wilsonLower(node.counts[node.majority], node.labels.length) >= opts.purity;
  const queue: Node[] = isPure(root) ? [] : [root];
  let internal = 0;
  progress(0);
  while (queue.length > 0 && internal < opts.maxNodes) {
    // Best-first: largest reach × (1 − fidelity), the older node on ties.
    let bi = 0;
    const pri = (x: Node) => x.reach * (1 - x.fidelity);
    for (let i = 1; i < queue.length; i++) {
      if (pri(queue[i]) > pri(queue[bi]) || (pri(queue[i]) === pri(queue[bi]) && queue[i].id < queue[bi].id)) bi = i;
    }
    const node = queue.splice(bi, 1)[0];
    if (pri(node) < opts.minPriority) break; // the best left cannot add enough fidelity
    // The split is chosen on at most `searchRows` of the node's rows (an even, deterministic stride).
    let searchRows: Row[];
    let searchLabels = node.labels;
    if (node.rows.n > opts.searchRows) {
      const step = node.rows.n / opts.searchRows;
      const pick = Array.from({ length: opts.searchRows }, (_, k) => Math.floor(k * step));
      searchRows = pick.map((i) => rowOf(node.rows, i));
      searchLabels = Int32Array.from(pick, (i) => node.labels[i]);
    } else searchRows = rowsOf(node.rows);
    const literals = candidateLiterals(searchRows, searchLabels, K, features, opts.maxThresholds);
    const test = findBestTest(literals, searchLabels, K, {
      beamWidth: opts.beamWidth,
      minImprovement: opts.minImprovement,
      maxN: opts.maxN,
      mofn: opts.mofn,
      maxThresholds: opts.maxThresholds,
      maxPairLiterals: 160,
    });
    if (!test || test.gain < opts.minGain) continue;
    // Members that do not change the gain go; numeric thresholds are then refined jointly.
    let lean = pruneMembers(test, literals, searchLabels, K, opts.minMemberGain);
    let lits = literals;
    if (opts.mofn && lean.literals.length > 1) {
      ({ test: lean, literals: lits } = refineThresholds(lean, literals, searchRows, searchLabels, K, features));
      lean = pruneMembers(lean, lits, searchLabels, K, opts.minMemberGain);
    }
    const condition = testCondition(lean, lits);
    const at = rowReader(node.rows, { scratch: true });
    const yesIdx: number[] = [];
    const noIdx: number[] = [];
    for (let i = 0; i < node.rows.n; i++) (evalCondition(condition, at(i), index) ? yesIdx : noIdx).push(i);
    const share = yesIdx.length / node.rows.n;
    const labelsOf = (idx: number[]) => Int32Array.from(idx, (i) => node.labels[i]);
    node.condition = condition;
    node.yes = await makeNode(pickRows(node.rows, yesIdx), labelsOf(yesIdx), [...node.region, condition], node.reach * share);
    node.no = await makeNode(pickRows(node.rows, noIdx), labelsOf(noIdx), [...node.region, negateCondition(condition)], node.reach * (1 - share));
    node.rows = pickRows(node.rows, []); // its children hold them now
    internal++;
    progress(internal);
    for (const child of [node.yes, node.no]) if (!isPure(child)) queue.push(child);
  }
  progress(opts.maxNodes);

  pruneOnRows(root, heldOut.train, rootLabels, opts.pruneTolerance * heldOut.train.n, index);
  return mergeSameLeaves(toTreeNode(root, classes, root.labels.length));
}

/**
 * Reduced-error pruning on real rows: while some split can be made a leaf (its majority class on
 * the node's sample) at a cost, in rows of `rows` the model then disagrees with, within what is
 * left of `budget`, the split with the least cost per leaf removed is collapsed (ties: the one
 * removing more leaves, then the earlier node). Collapses that cost nothing (or gain) always go.
 *
 * @param labels the model's labels of `rows`
 */
function pruneOnRows(root: Node, rows: RowsLike, labels: Int32Array, budget: number, index: ReturnType<typeof featureIndex>): void {
  const all = Array.from({ length: rowCount(rows) }, (_, i) => i);
  const at = rowReader(rows, { scratch: true });
  for (;;) {
    let best: { node: Node; cost: number; removed: number } | null = null;
    // Returns (agreeing rows, leaves) of the subtree over the rows `idx` reaching it.
    const walk = (node: Node, idx: number[]): { agree: number; leaves: number } => {
      let asLeaf = 0;
      for (const i of idx) if (labels[i] === node.majority) asLeaf++;
      if (!node.condition || !node.yes || !node.no) return { agree: asLeaf, leaves: 1 };
      const yes: number[] = [];
      const no: number[] = [];
      for (const i of idx) (evalCondition(node.condition, at(i), index) ? yes : no).push(i);
      const a = walk(node.yes, yes);
      const b = walk(node.no, no);
      const agree = a.agree + b.agree;
      const leaves = a.leaves + b.leaves;
      const cost = agree - asLeaf;
      const removed = leaves - 1;
      if (
        !best ||
        cost / removed < best.cost / best.removed - 1e-12 ||
        (Math.abs(cost / removed - best.cost / best.removed) <= 1e-12 && (removed > best.removed || (removed === best.removed && node.id < best.node.id)))
      ) {
        best = { node, cost, removed };
      }
      return { agree, leaves };
    };
    walk(root, all);
    if (!best) return;
    const b: { node: Node; cost: number; removed: number } = best;
    if (b.cost > 0 && b.cost > budget) return;
    budget -= Math.max(0, b.cost);
    delete b.node.condition;
    delete b.node.yes;
    delete b.node.no;
  }
}

/**
 * `n` rows inside `region`: a share `nearShare` drawn around the training rows there (all from
 * the marginals when none lies in it), the rest from the marginals; none when the marginal sampler
 * finds the region empty too.
 */
function drawRegion(s: PedagogicalSample, n: number, region: ConditionT[], nearShare: number): Row[] {
  const guard = (f: () => Row[]): Row[] | null => {
    try {
      return f();
    } catch (e) {
      if (isInputError(e)) return null;
      throw e;
    }
  };
  const nNear = Math.round(n * nearShare);
  const near = nNear > 0 ? guard(() => s.drawNear(nNear, { region })) : [];
  const rest = n - (near?.length ?? 0);
  return [...(near ?? []), ...(rest > 0 ? (guard(() => s.draw(rest, region)) ?? []) : [])];
}

function toTreeNode(node: Node, classes: readonly string[], totalRows: number): TreeNodeT {
  const n = node.labels.length;
  const stats: RuleStatsT = {
    support: n,
    precision: n ? round(node.fidelity) : null,
    coverage: round(Math.min(1, node.reach)),
  };
  if (node.condition && node.yes && node.no) {
    return { type: 'split', condition: node.condition, yes: toTreeNode(node.yes, classes, totalRows), no: toTreeNode(node.no, classes, totalRows), stats };
  }
  const distribution: Record<string, number> = {};
  classes.forEach((c, k) => (distribution[c] = n ? round(node.counts[k] / n) : 0));
  const output: OutputT = { class: classes[node.majority], distribution };
  return { type: 'leaf', output, stats };
}

/** Collapses splits whose two sides are leaves of the same class (bottom-up). */
function mergeSameLeaves(t: TreeNodeT): TreeNodeT {
  if (t.type === 'leaf') return t;
  const yes = mergeSameLeaves(t.yes);
  const no = mergeSameLeaves(t.no);
  if (yes.type === 'leaf' && no.type === 'leaf' && 'class' in yes.output && 'class' in no.output && yes.output.class === no.output.class) {
    const support = (yes.stats?.support ?? 0) + (no.stats?.support ?? 0);
    const dist: Record<string, number> = {};
    const dy = yes.output.distribution ?? {};
    const dn = no.output.distribution ?? {};
    for (const k of Object.keys(dy)) {
      dist[k] = support ? round(((dy[k] ?? 0) * (yes.stats?.support ?? 0) + (dn[k] ?? 0) * (no.stats?.support ?? 0)) / support) : 0;
    }
    return {
      type: 'leaf',
      output: { class: yes.output.class, distribution: dist },
      stats: { support, precision: dist[yes.output.class] ?? null, coverage: t.stats?.coverage ?? 0 },
    };
  }
  return { ...t, yes, no };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** The `trepan` extractor for the registry. */
export const trepanExtractor: Extractor<TrepanOptions> = {
  name: 'trepan',
  description: 'TREPAN: tree with M-of-N splits grown best-first by fidelity, each node sampled from the marginals in its region (Craven & Shavlik 1996)',
  decompositional: false,
  tasks: ['classification'],
  options: TrepanOptionsSchema,
  defaults: TREPAN_DEFAULTS,
  extract: extractTrepan,
};
