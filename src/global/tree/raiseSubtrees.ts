/**
 * Subtree raising (Quinlan, C4.5, 1993, §4.2), with the training labels as the yardstick: a split
 * is replaced by one of its two subtrees when that subtree, applied to every training row reaching
 * the split, makes no more errors than the split does (or, with a tolerance, a few more, within
 * a budget for the whole tree). It removes splits that only carve off a region the other side
 * already classifies right (a split chosen by noise, a tail of the data).
 */
import { splitHolds } from './predictTree.js';
import type { FittedTree, TreeMatrix, TreeNodeData } from './types.js';

/**
 * Raises subtrees bottom-up (see the module comment), then re-measures every node's row count,
 * weight, class shares (or mean) and impurity on `X`, `y`; a leaf's prediction becomes the majority
 * (or mean) of the rows now reaching it. Returns a new tree. Classification trees count (weighted)
 * errors; regression trees compare squared errors.
 *
 * @param X the rows the tree was fitted to (or any labelled rows)
 * @param y their labels (class indices or values)
 * @param opts.weights row weights (default 1)
 * @param opts.tolerance extra (weighted) error all raises together may add, as a share of the total
 *   weight (default 0: only raises that cost nothing); classification only
 * @example
 * const smaller = raiseSubtrees(fitTree(X, y), X, y); // never less accurate on (X, y)
 */
export function raiseSubtrees(
  tree: FittedTree,
  X: TreeMatrix,
  y: ArrayLike<number>,
  opts: { weights?: ArrayLike<number>; tolerance?: number } = {},
): FittedTree {
  const classification = tree.task === 'classification';
  const w = (i: number) => (opts.weights ? opts.weights[i] : 1);
  let totalWeight = 0;
  for (let i = 0; i < X.n; i++) totalWeight += w(i);
  let budget = classification ? (opts.tolerance ?? 0) * totalWeight : 0;
  const loss = (pred: number, i: number) => w(i) * (classification ? (pred === y[i] ? 0 : 1) : (pred - y[i]) ** 2);
  const leafOf = (t: TreeNodeData, i: number): TreeNodeData => {
    while (t.split) t = splitHolds(t.split, X, i) ? t.yes! : t.no!;
    return t;
  };
  const lossOf = (t: TreeNodeData, rows: number[]) => {
    let s = 0;
    for (const i of rows) s += loss(leafOf(t, i).prediction, i);
    return s;
  };
  const walk = (t: TreeNodeData, rows: number[]): TreeNodeData => {
    if (!t.split) return { ...t, value: t.value.slice() };
    const yesRows: number[] = [];
    const noRows: number[] = [];
    for (const i of rows) (splitHolds(t.split, X, i) ? yesRows : noRows).push(i);
    const node: TreeNodeData = { ...t, value: t.value.slice(), yes: walk(t.yes!, yesRows), no: walk(t.no!, noRows) };
    const here = lossOf(node, rows);
    const viaYes = lossOf(node.yes!, rows);
    const viaNo = lossOf(node.no!, rows);
    const eps = 1e-9 * Math.max(1, here);
    // The cheaper side; on ties the side that keeps more rows (it usually encodes more).
    const side = viaYes < viaNo || (viaYes === viaNo && yesRows.length >= noRows.length) ? 'yes' : 'no';
    const cost = (side === 'yes' ? viaYes : viaNo) - here;
    if (cost <= eps) return raiseInto(node[side]!, t.depth);
    if (cost <= budget) {
      budget -= cost;
      return raiseInto(node[side]!, t.depth);
    }
    return node;
  };
  const root = walk(tree.root, Array.from({ length: X.n }, (_, i) => i));
  return { ...tree, root: refreshStats(tree, root, X, y) };
}

function raiseInto(t: TreeNodeData, depth: number): TreeNodeData {
  const c: TreeNodeData = { ...t, depth, value: t.value.slice() };
  if (t.yes) c.yes = raiseInto(t.yes, depth + 1);
  if (t.no) c.no = raiseInto(t.no, depth + 1);
  return c;
}

/** Re-measures n, weight, value, impurity (and leaf predictions) of every node on (X, y), unit weights. */
function refreshStats(tree: FittedTree, root: TreeNodeData, X: TreeMatrix, y: ArrayLike<number>): TreeNodeData {
  const K = tree.nClasses;
  const visit = (t: TreeNodeData, rows: number[]) => {
    t.n = rows.length;
    t.weight = rows.length;
    if (tree.task === 'classification') {
      const counts = new Array<number>(K).fill(0);
      for (const i of rows) counts[y[i]]++;
      if (rows.length > 0) {
        t.value = counts.map((c) => c / rows.length);
        let best = 0;
        for (let c = 1; c < K; c++) if (counts[c] > counts[best]) best = c;
        if (!t.split) t.prediction = best;
        let s = 0;
        if (tree.criterion === 'entropy') for (const p of t.value) s -= p > 0 ? p * Math.log2(p) : 0;
        else s = 1 - t.value.reduce((a, p) => a + p * p, 0);
        t.impurity = s;
      }
    } else if (rows.length > 0) {
      let sum = 0;
      let sq = 0;
      for (const i of rows) {
        sum += y[i];
        sq += y[i] * y[i];
      }
      const mean = sum / rows.length;
      t.value = [mean];
      if (!t.split) t.prediction = mean;
      t.impurity = Math.max(0, sq / rows.length - mean * mean);
    }
    if (t.split) {
      const yes: number[] = [];
      const no: number[] = [];
      for (const i of rows) (splitHolds(t.split, X, i) ? yes : no).push(i);
      visit(t.yes!, yes);
      visit(t.no!, no);
    }
  };
  visit(root, Array.from({ length: X.n }, (_, i) => i));
  return root;
}
