/**
 * Turning a decision tree into an equivalent ordered decision list.
 */
import type { ConditionT, DecisionListT, DecisionTreeT, RuleT, TreeNodeT } from './schema.js';

/**
 * An ordered decision list that gives exactly the tree's decision on every row, missing values
 * included: one rule per leaf, in depth-first order with the `yes` branch first.
 *
 * A leaf's rule holds the split conditions on the path where the row went `yes`; the `no` steps
 * are left implicit, because the earlier rules of the list already took every row that went
 * `yes` there. (Writing the negation instead, e.g. `x > 3` for a `no` under `x <= 3`, would be
 * wrong for rows where `x` is missing: they go `no` in the tree but satisfy neither test.) The
 * last leaf, reached by `no` at every step from the root, becomes the list's default. Leaf
 * statistics (rows reaching the leaf) become the rule statistics: they are the rows on which the
 * rule fires. Rule ids are the leaves' tree paths (`y`/`n` steps from the root).
 *
 * @example
 * treeToRuleList({ kind: 'tree', root: { type: 'split', condition: { type: 'le', feature: 'x', threshold: 1 },
 *   yes: { type: 'leaf', output: { class: 'a' } }, no: { type: 'leaf', output: { class: 'b' } } } });
 * // { kind: 'list', rules: [{ id: 'y', conditions: [x <= 1], output: { class: 'a' } }], default: { class: 'b' } }
 */
export function treeToRuleList(tree: DecisionTreeT): DecisionListT {
  const rules: RuleT[] = [];
  let fallback: RuleT | null = null;
  const walk = (node: TreeNodeT, conds: ConditionT[], path: string): void => {
    if (node.type === 'leaf') {
      const rule: RuleT = { id: path, conditions: conds, output: structuredClone(node.output) };
      if (node.stats) rule.stats = { ...node.stats };
      if (conds.length === 0) fallback = rule;
      else rules.push(rule);
      return;
    }
    walk(node.yes, [...conds, structuredClone(node.condition)], path + 'y');
    walk(node.no, conds, path + 'n');
  };
  walk(tree.root, [], '');
  return { kind: 'list', rules, default: fallback ? (fallback as RuleT).output : null };
}
