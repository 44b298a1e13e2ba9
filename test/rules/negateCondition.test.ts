import { describe, expect, it } from 'vitest';
import { evalCondition, negateCondition, type ConditionT } from '../../src/index.js';

describe('negateCondition', () => {
  it('negates conditions exactly (on rows without missing values)', () => {
    const c: ConditionT = {
      type: 'mofn',
      m: 2,
      conditions: [
        { type: 'le', feature: 'x', threshold: 1 },
        { type: 'eq', feature: 'k', value: 'a' },
        { type: 'in', feature: 'k', values: ['b', 'c'] },
      ],
    };
    const n = negateCondition(c);
    expect(n).toEqual({
      type: 'mofn',
      m: 2,
      conditions: [
        { type: 'gt', feature: 'x', threshold: 1 },
        { type: 'neq', feature: 'k', value: 'a' },
        { type: 'notIn', feature: 'k', values: ['b', 'c'] },
      ],
    });
    const index = new Map([['x', 0], ['k', 1]]);
    for (const x of [0, 1, 2]) for (const k of ['a', 'b', 'c', 'd']) expect(evalCondition(n, [x, k], index)).toBe(!evalCondition(c, [x, k], index));
    expect(negateCondition({ type: 'interval', feature: 'x', low: 0, high: 1 })).toEqual({
      type: 'mofn',
      m: 1,
      conditions: [
        { type: 'le', feature: 'x', threshold: 0 },
        { type: 'gt', feature: 'x', threshold: 1 },
      ],
    });
  });
});
