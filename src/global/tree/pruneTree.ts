/**
 * Cost-complexity pruning (Breiman et al. 1984, ch. 3; the `ccp_alpha` of scikit-learn).
 */
import { treeLeafOf } from './predictTree.js';
import type { FittedTree, TreeMatrix, TreeNodeData } from './types.js';

/**
 * Prunes a fitted tree by weakest-link cutting: while some internal node `t` has
 * `g(t) = (R(t) - R(T_t)) / (|leaves(T_t)| - 1) <= alpha`, the node with the smallest `g` (first in
 * pre-order on ties) becomes a leaf. `R(t)` is the node's impurity times its share of the total
 * weight, `R(T_t)` the same summed over the leaves below it. Returns a new tree; the input is left as is.
 *
 * @param tree a tree from `fitTree`
 * @param alpha complexity parameter α >= 0 (0 keeps every split that decreased impurity)
 *
 * @example
 * const small = pruneTree(fitTree(X, y), 0.01);
 */
export function pruneTree(tree: FittedTree, alpha: number, cost: PruningCost = 'impurity'): FittedTree {
  const root = cloneNode(tree.root);
  const nodeCost = costOf(tree, cost);
  for (;;) {
    const g = linkStrengths(root, nodeCost);
    let bestNode: TreeNodeData | null = null;
    let bestG = Infinity;
    const pre = (t: TreeNodeData): void => {
      if (!t.split) return;
      const gt = g.get(t)!;
      if (gt < bestG - 1e-15) {
        bestG = gt;
        bestNode = t;
      }
      pre(t.yes!);
      pre(t.no!);
    };
    pre(root);
    if (bestNode === null || bestG > alpha + 1e-15) break;
    collapse(bestNode);
  }
  return { ...tree, root };
}

function collapse(t: TreeNodeData): void {
  delete t.split;
  delete t.yes;
  delete t.no;
  delete t.gain;
}

function cloneNode(t: TreeNodeData): TreeNodeData {
  const c: TreeNodeData = { ...t, value: t.value.slice() };
  if (t.split) c.split = t.split.kind === 'numeric' ? { ...t.split } : { ...t.split, categories: t.split.categories.slice() };
  if (t.yes) c.yes = cloneNode(t.yes);
  if (t.no) c.no = cloneNode(t.no);
  return c;
}

/** One tree of the cost-complexity pruning sequence: the subtree that is optimal for α in [alpha, next alpha). */
export interface PruningStep {
  alpha: number;
  leaves: number;
  tree: FittedTree;
}

/**
 * The whole cost-complexity pruning sequence of a tree (Breiman et al. 1984, §3.3): the tree
 * itself (α = 0, after removing splits that gain nothing), then each subtree obtained by cutting the
 * weakest links at the next effective α, down to the root alone. Each step's tree is what
 * `pruneTree(tree, alpha)` returns.
 *
 * @example
 * const steps = pruningPath(fitTree(X, y)); // [{ alpha: 0, leaves: 9, tree }, ..., { alpha: 0.21, leaves: 1, tree }]
 */
export function pruningPath(tree: FittedTree, cost: PruningCost = 'impurity'): PruningStep[] {
  const steps: PruningStep[] = [];
  let cur = pruneTree(tree, 0, cost);
  let alpha = 0;
  for (;;) {
    steps.push({ alpha, leaves: countLeaves(cur.root), tree: cur });
    const next = weakestLink(cur, cost);
    if (next === null) break;
    alpha = Math.max(alpha, next);
    cur = pruneTree(cur, alpha, cost);
  }
  return steps;
}

/**
 * Cost-complexity pruning with α chosen on validation rows: of the trees of {@link pruningPath}
 * (those with at most `maxLeaves` leaves), the one with the fewest leaves whose (weighted)
 * agreement with `y` on the validation rows is within `tolerance` of the best tree's (classification; regression compares the weighted
 * squared error, the tolerance then a share of the best tree's error).
 *
 * @param X validation rows (not those the tree was grown on)
 * @param y their labels (class indices or values)
 * @param opts.weights validation row weights (default 1); `tolerance` (default 0); `cost` of the
 *   pruning sequence (default `impurity`); `maxLeaves` (default unlimited)
 * @returns the chosen step (its tree, α and leaf count) and its validation score
 * @example
 * const { tree: pruned, alpha } = pruneOnValidation(fitTree(Xfit, yfit), Xval, yval, { tolerance: 0.005 });
 */
export function pruneOnValidation(
  tree: FittedTree,
  X: TreeMatrix,
  y: ArrayLike<number>,
  opts: { weights?: ArrayLike<number>; tolerance?: number; cost?: PruningCost; maxLeaves?: number } = {},
): PruningStep & { score: number } {
  const all = pruningPath(tree, opts.cost);
  const maxLeaves = opts.maxLeaves ?? Infinity;
  const steps = all.filter((st) => st.leaves <= maxLeaves);
  if (steps.length === 0) steps.push(all[all.length - 1]);
  const classification = tree.task === 'classification';
  let W = 0;
  for (let i = 0; i < X.n; i++) W += opts.weights ? opts.weights[i] : 1;
  const scoreOf = (t: FittedTree): number => {
    if (W <= 0) return 0;
    let s = 0;
    for (let i = 0; i < X.n; i++) {
      const w = opts.weights ? opts.weights[i] : 1;
      const p = treeLeafOf(t, X, i).prediction;
      s += w * (classification ? (p === y[i] ? 1 : 0) : -((p - y[i]) ** 2));
    }
    return s / W;
  };
  const scores = steps.map((s) => scoreOf(s.tree));
  const best = Math.max(...scores);
  const tol = opts.tolerance ?? 0;
  const bar = classification ? best - tol : best - tol * Math.abs(best);
  // Steps go from most to fewest leaves: the last one that clears the bar is the smallest.
  let pick = scores.indexOf(best);
  for (let k = steps.length - 1; k >= 0; k--) {
    if (scores[k] >= bar - 1e-12) {
      pick = k;
      break;
    }
  }
  return { ...steps[pick], score: scores[pick] };
}

/** The smallest g(t) over the internal nodes, or null for a lone leaf. */
function weakestLink(tree: FittedTree, cost: PruningCost): number | null {
  const g = linkStrengths(tree.root, costOf(tree, cost));
  let best: number | null = null;
  for (const v of g.values()) if (best === null || v < best) best = v;
  return best;
}

/**
 * g(t) = (R(t) − R(T_t)) / (|leaves(T_t)| − 1) for every internal node t of the tree under
 * `root` (Breiman et al. 1984, §3.3): the cost per removed leaf of collapsing t, costs relative to
 * the root's weight.
 */
function linkStrengths(root: TreeNodeData, nodeCost: (t: TreeNodeData) => number): Map<TreeNodeData, number> {
  const total = root.weight;
  const g = new Map<TreeNodeData, number>();
  const walk = (t: TreeNodeData): { r: number; leaves: number } => {
    const own = nodeCost(t) / total;
    if (!t.split) return { r: own, leaves: 1 };
    const a = walk(t.yes!);
    const b = walk(t.no!);
    const r = a.r + b.r;
    const leaves = a.leaves + b.leaves;
    g.set(t, (own - r) / (leaves - 1));
    return { r, leaves };
  };
  walk(root);
  return g;
}

/**
 * What a node costs when it is a leaf: `impurity` (its impurity times its weight, as scikit-learn's
 * `ccp_alpha`) or `error` (the weight of its rows not of its predicted class, Breiman et al.'s
 * resubstitution cost R(t) for classification trees; regression trees always use impurity).
 */
export type PruningCost = 'impurity' | 'error';

function costOf(tree: FittedTree, cost: PruningCost): (t: TreeNodeData) => number {
  if (cost === 'error' && tree.task === 'classification') return (t) => t.weight * (1 - (t.value[t.prediction] ?? 0));
  return (t) => t.impurity * t.weight;
}

function countLeaves(t: TreeNodeData): number {
  return t.split ? countLeaves(t.yes!) + countLeaves(t.no!) : 1;
}
