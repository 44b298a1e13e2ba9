import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  evalCondition,
  evalConjunction,
  exprToConjunctions,
  featureIndex,
  negateExpr,
  simplifyExpr,
  type Feature,
  type MofNExpr,
} from '../../../src/index.js';

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

describe('M-of-N algebra (property)', () => {
  // every row of the 3 × 2 × 2 space
  const rows = ['1', '2', '3'].flatMap((a) => ['1', '2'].flatMap((b) => ['1', '2'].map((c) => [a, b, c])));
  const index = featureIndex({ features: feats });
  const evalExpr = (e: MofNExpr, row: string[]): boolean => {
    switch (e.k) {
      case 'const':
        return e.value;
      case 'lit':
        return evalCondition(e.c, row, index);
      case 'mofn':
        return e.items.filter((x) => evalExpr(x, row)).length >= e.m;
      default:
        throw new Error('unexpected var');
    }
  };
  const leaf = fc.oneof(
    fc.boolean().map((value): MofNExpr => ({ k: 'const', value })),
    fc
      .tuple(fc.constantFrom(...feats), fc.boolean(), fc.nat())
      .map(([f, pos, i]): MofNExpr => {
        const cats = (f as { categories: string[] }).categories;
        return (pos ? eq : neq)(f.name, cats[i % cats.length]);
      }),
  );
  const expr: fc.Arbitrary<MofNExpr> = fc.letrec<{ e: MofNExpr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('e'), { minLength: 1, maxLength: 4 }).chain((items) => fc.integer({ min: 1, max: items.length + 1 }).map((m) => atLeast(m, items))),
    ),
  })).e;

  it('simplifying, negating and reading as rules keep the meaning on every row', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const s = simplifyExpr(e, feats);
        const n = negateExpr(e);
        const rules = exprToConjunctions(e, feats);
        for (const row of rows) {
          const v = evalExpr(e, row);
          expect(evalExpr(s, row)).toBe(v);
          expect(evalExpr(n, row)).toBe(!v);
          expect(rules.some((conj) => evalConjunction(conj, row, index))).toBe(v);
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
