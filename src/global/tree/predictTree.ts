/**
 * Applying a fitted tree to a numeric matrix.
 */
import type { FittedTree, TreeMatrix, TreeNodeData, TreeSplit } from './types.js';

/** Whether row `i` of `X` satisfies `split` (a missing value never does). */
export function splitHolds(split: TreeSplit, X: TreeMatrix, i: number): boolean {
  const v = X.columns[split.feature][i];
  if (Number.isNaN(v)) return false;
  return split.kind === 'numeric' ? v <= split.threshold : split.categories.includes(v);
}

/** The leaf row `i` of `X` reaches. */
export function treeLeafOf(tree: FittedTree, X: TreeMatrix, i: number): TreeNodeData {
  let node = tree.root;
  while (node.split) node = splitHolds(node.split, X, i) ? node.yes! : node.no!;
  return node;
}

/**
 * Predictions of a fitted tree for every row of `X`: class index (classification) or value.
 *
 * @example
 * predictTree(fitTree(X, y), X); // Float64Array of class indices
 */
export function predictTree(tree: FittedTree, X: TreeMatrix): Float64Array {
  const out = new Float64Array(X.n);
  for (let i = 0; i < X.n; i++) out[i] = treeLeafOf(tree, X, i).prediction;
  return out;
}
