/**
 * Size of a rule set: how much a person has to read. The one count of rules and conditions in the
 * toolkit (extract, score, rules show, simplification, the report); docs/rules-format.md ("Size:
 * rules and conditions") states the definition.
 */
import type { ConditionT, RuleSet, TreeNodeT } from './schema.js';
import { forEachAtomic, ruleSetFeatures } from './walk.js';

/** Rule-set size figures. */
export interface RuleCounts {
  /** Rules (lists and sets, the default not counted) or leaves (trees). */
  rules: number;
  /** Atomic tests over all rules; an M-of-N test counts its members; a tree leaf counts the tests on its path. */
  conditions: number;
  /** conditions / rules (0 for no rules). */
  meanConditions: number;
  /** Largest number of atomic tests in one rule (or on one root-to-leaf path). */
  maxConditions: number;
  /** Distinct features the rules test. */
  features: number;
}

/** Number of atomic tests in a condition (M-of-N: its members, recursively). */
export function atomicCount(c: ConditionT): number {
  if (c.type !== 'mofn') return 1;
  let n = 0;
  forEachAtomic(c, '', () => n++);
  return n;
}

/**
 * Counts rules, conditions and features of a rule set. For trees the leaves are the rules and a
 * leaf's conditions are the tests on its path from the root.
 *
 * @example
 * countRules(rs); // { rules: 3, conditions: 5, meanConditions: 1.67, maxConditions: 2, features: 2 } (meanConditions unrounded)
 */
export function countRules(rs: RuleSet): RuleCounts {
  const perRule: number[] = [];
  const s = rs.surrogate;
  if (s.kind === 'tree') {
    // Iterative: the tests on each node's path, carried down to its children.
    const stack: [TreeNodeT, number][] = [[s.root, 0]];
    while (stack.length) {
      const [node, depth] = stack.pop()!;
      if (node.type === 'leaf') perRule.push(depth);
      else {
        const k = atomicCount(node.condition);
        stack.push([node.no, depth + k], [node.yes, depth + k]);
      }
    }
  } else {
    for (const r of s.rules) perRule.push(r.conditions.reduce((a, c) => a + atomicCount(c), 0));
  }
  let conditions = 0;
  let maxConditions = 0;
  for (const k of perRule) {
    conditions += k;
    if (k > maxConditions) maxConditions = k;
  }
  return {
    rules: perRule.length,
    conditions,
    meanConditions: perRule.length ? conditions / perRule.length : 0,
    maxConditions,
    features: ruleSetFeatures(rs).length,
  };
}
