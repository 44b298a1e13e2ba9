import { describe, expect, it } from 'vitest';
import { atLeast, exprToConjunctions, negateExpr, simplifyExpr, type Feature, type MofNExpr } from '../../../src/index.js';

const feats: Feature[] = [
  { name: 'a', type: 'categorical', categories: ['1', '2', '3'] },
  { name: 'b', type: 'categorical', categories: ['1', '2'] },
  { name: 'c', type: 'categorical', categories: ['1', '2'] },
];
const eq = (feature: string, value: string): MofNExpr => ({ k: 'lit', c: { type: 'eq', feature, value } });
const neq = (feature: string, value: string): MofNExpr => ({ k: 'lit', c: { type: 'neq', feature, value } });

describe('M-of-N expressions', () => {
  it('negates exactly: NOT (2 of 3) = 2 of the 3 negations', () => {
    expect(negateExpr(atLeast(2, [eq('a', '1'), eq('b', '1'), eq('c', '1')]))).toEqual(atLeast(2, [neq('a', '1'), neq('b', '1'), neq('c', '1')]));
    expect(negateExpr(atLeast(1, [eq('a', '1'), eq('b', '1'), eq('c', '1')]))).toEqual(atLeast(3, [neq('a', '1'), neq('b', '1'), neq('c', '1')]));
  });

  it('folds constants and flattens ANDs and ORs', () => {
    const t: MofNExpr = { k: 'const', value: true };
    expect(simplifyExpr(atLeast(2, [t, eq('a', '1'), eq('b', '1')]), feats)).toEqual(atLeast(1, [eq('a', '1'), eq('b', '1')]));
    expect(simplifyExpr(atLeast(2, [atLeast(2, [eq('a', '1'), eq('b', '1')]), eq('c', '1')]), feats)).toEqual(
      atLeast(3, [eq('a', '1'), eq('b', '1'), eq('c', '1')]),
    );
    expect(simplifyExpr(atLeast(1, [eq('b', '1'), neq('b', '1')]), feats)).toEqual({ k: 'const', value: true });
    expect(simplifyExpr(atLeast(2, [eq('a', '1'), eq('a', '2')]), feats)).toEqual({ k: 'const', value: false });
  });

  it('joins exclusive category tests of one column inside an M-of-N', () => {
    // a=2 and a=3 cannot both hold: one member "a in {2,3}", i.e. a != 1
    expect(simplifyExpr(atLeast(2, [eq('a', '2'), eq('a', '3'), eq('b', '1'), eq('c', '1')]), feats)).toEqual(
      atLeast(2, [neq('a', '1'), eq('b', '1'), eq('c', '1')]),
    );
  });

  it('reads an OR of ANDs as one conjunction per rule', () => {
    const e = atLeast(1, [atLeast(2, [eq('a', '1'), eq('b', '2')]), atLeast(2, [eq('a', '2'), eq('b', '1'), eq('c', '1')])]);
    expect(exprToConjunctions(e, feats)).toEqual([
      [
        { type: 'eq', feature: 'a', value: '1' },
        { type: 'eq', feature: 'b', value: '2' },
      ],
      [{ type: 'mofn', m: 2, conditions: [{ type: 'eq', feature: 'a', value: '2' }, { type: 'eq', feature: 'b', value: '1' }, { type: 'eq', feature: 'c', value: '1' }] }],
    ]);
  });
});
