/**
 * From a fitted tree to the rule representation's DecisionTree.
 */
import { InputError } from '../../util/errors.js';
import type { AtomicConditionT, DecisionTreeT, OutputT, TreeNodeT } from '../../rules/schema.js';
import type { FittedTree, TreeNodeData, TreeSplit } from './types.js';

/** The rule-representation condition of a split: `le` (numeric) or `in` (categorical, category names). */
export function splitToCondition(split: TreeSplit, tree: Pick<FittedTree, 'features'>): AtomicConditionT {
  const f = tree.features[split.feature];
  if (split.kind === 'numeric') return { type: 'le', feature: f.name, threshold: split.threshold };
  const cats = f.categories ?? [];
  return { type: 'in', feature: f.name, values: split.categories.map((k) => cats[k]) };
}

/**
 * Converts a fitted tree into a `DecisionTree` surrogate: split conditions `le` (numeric, `yes`
 * when `x <= threshold`) and `in` (categorical); leaves output the class (with the class shares of
 * the training rows as `distribution`) or the mean value; every node carries `stats` (support =
 * rows reaching it, coverage = share of all rows, precision = share of its majority class, null
 * for regression).
 *
 * @param tree a tree from `fitTree`
 * @param classes class names for classification (index i names class i)
 * @param opts.coverage `rows` (default): coverage = the node's rows over the root's; `weight`: the
 *   node's weight over the root's (for trees whose nodes were topped up with rows, where the weight
 *   carries the share of inputs that reach the node)
 * @throws InputError when `classes` is missing or too short for a classification tree
 *
 * @example
 * const surrogate = treeToDecisionTree(tree, ['setosa', 'versicolor', 'virginica']);
 * // { kind: 'tree', root: { type: 'split', condition: { type: 'le', feature: 'petal_length', threshold: 2.45 }, ... } }
 */
export function treeToDecisionTree(tree: FittedTree, classes?: readonly string[], opts: { coverage?: 'rows' | 'weight' } = {}): DecisionTreeT {
  if (tree.task === 'classification' && (!classes || classes.length < tree.nClasses)) {
    throw new InputError(`a classification tree over ${tree.nClasses} classes needs ${tree.nClasses} class names, got ${classes?.length ?? 0}`);
  }
  const total = tree.root.n;
  const output = (t: TreeNodeData): OutputT => {
    if (tree.task === 'regression') return { value: t.prediction };
    const distribution: Record<string, number> = {};
    t.value.forEach((p, c) => (distribution[classes![c]] = round(p)));
    return { class: classes![t.prediction], distribution };
  };
  const stats = (t: TreeNodeData) => ({
    support: t.n,
    precision: tree.task === 'classification' && t.n > 0 ? round(t.value[t.prediction]) : null,
    coverage: opts.coverage === 'weight' ? (tree.root.weight > 0 ? round(Math.min(1, t.weight / tree.root.weight)) : 0) : total > 0 ? round(t.n / total) : 0,
  });
  const walk = (t: TreeNodeData): TreeNodeT => {
    if (!t.split) return { type: 'leaf', output: output(t), stats: stats(t) };
    return { type: 'split', condition: splitToCondition(t.split, tree), yes: walk(t.yes!), no: walk(t.no!), stats: stats(t) };
  };
  return { kind: 'tree', root: walk(tree.root) };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
