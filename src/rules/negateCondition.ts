/**
 * Negating conditions: the one place that knows how to turn a test into its opposite, used by
 * TREPAN (the region of a split's "no" branch) and MofN (negated antecedents).
 */
import { InputError } from '../util/errors.js';
import type { ConditionT } from './schema.js';

/**
 * The negation of a condition, as a condition: `le`↔`gt`, `eq`↔`neq`, `in`↔`notIn`,
 * an interval into an M-of-N "outside" test, and "at least m of n" into "at least n-m+1 of the
 * negated members". Exact on rows without missing values (what the sampler draws). Recursive over
 * M-of-N members, one frame per level: bounded on import (`MAX_JSON_DEPTH`, about 250 nested tests).
 *
 * @example
 * negateCondition({ type: 'mofn', m: 2, conditions: [a, b, c] }); // { type: 'mofn', m: 2, conditions: [¬a, ¬b, ¬c] }
 */
export function negateCondition(c: ConditionT): ConditionT {
  switch (c.type) {
    case 'le':
      return { type: 'gt', feature: c.feature, threshold: c.threshold };
    case 'gt':
      return { type: 'le', feature: c.feature, threshold: c.threshold };
    case 'eq':
      return { type: 'neq', feature: c.feature, value: c.value };
    case 'neq':
      return { type: 'eq', feature: c.feature, value: c.value };
    case 'in':
      return { type: 'notIn', feature: c.feature, values: c.values.slice() };
    case 'notIn':
      return { type: 'in', feature: c.feature, values: c.values.slice() };
    case 'interval': {
      const parts: ConditionT[] = [];
      if (c.low !== null) parts.push({ type: 'le', feature: c.feature, threshold: c.low });
      if (c.high !== null) parts.push({ type: 'gt', feature: c.feature, threshold: c.high });
      if (parts.length === 0) throw new InputError(`cannot negate the unbounded interval on "${c.feature}"`);
      return parts.length === 1 ? parts[0] : { type: 'mofn', m: 1, conditions: parts };
    }
    case 'mofn':
      return { type: 'mofn', m: c.conditions.length - c.m + 1, conditions: c.conditions.map(negateCondition) };
  }
}
