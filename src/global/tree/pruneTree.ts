/**
 * Minimal cost-complexity pruning (Breiman et al. 1984, ch. 3; the `ccp_alpha` of scikit-learn).
 */
import type { FittedTree, TreeNodeData } from './types.js';

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
export function pruneTree(tree: FittedTree, alpha: number): FittedTree {
  const root = cloneNode(tree.root);
  const total = root.weight;
  for (;;) {
    const g = new Map<TreeNodeData, number>();
    const walk = (t: TreeNodeData): { r: number; leaves: number } => {
      const own = (t.impurity * t.weight) / total;
      if (!t.split) return { r: own, leaves: 1 };
      const a = walk(t.yes!);
      const b = walk(t.no!);
      const r = a.r + b.r;
      const leaves = a.leaves + b.leaves;
      g.set(t, (own - r) / (leaves - 1));
      return { r, leaves };
    };
    walk(root);
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
