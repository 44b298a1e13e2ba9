/**
 * Size of a rule set: how much a person has to read. The one count of rules and conditions in the
 * toolkit (extract, score, rules show, simplification, the report); docs/rules-format.md ("Size:
 * rules and conditions") states the definition.
 */
import type { ConditionT, RuleSet, TreeNodeT } from './schema.js';
import { ruleSetFeatures } from './walk.js';

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
  return c.type === 'mofn' ? c.conditions.reduce((s, m) => s + atomicCount(m), 0) : 1;
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
    const walk = (node: TreeNodeT, depth: number): void => {
      if (node.type === 'leaf') perRule.push(depth);
      else {
        const k = atomicCount(node.condition);
        walk(node.yes, depth + k);
        walk(node.no, depth + k);
      }
    };
    walk(s.root, 0);
  } else {
    for (const r of s.rules) perRule.push(r.conditions.reduce((a, c) => a + atomicCount(c), 0));
  }
  const conditions = perRule.reduce((a, b) => a + b, 0);
  return {
    rules: perRule.length,
    conditions,
    meanConditions: perRule.length ? conditions / perRule.length : 0,
    maxConditions: perRule.length ? Math.max(...perRule) : 0,
    features: ruleSetFeatures(rs).length,
  };
}
