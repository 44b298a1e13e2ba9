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
  type AtomicConditionT,
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

describe('M-of-N cleaning, literal by literal', () => {
  const schema: Feature[] = [
    ...feats,
    { name: 'veil', type: 'categorical', categories: ['p'] },
    { name: 'cap', type: 'categorical', categories: ['b', 'c', 'f', 'k', 's', 'x'] },
    { name: 'x', type: 'numeric' },
  ];
  const lit = (c: AtomicConditionT): MofNExpr => ({ k: 'lit', c });

  it('decides tests the schema decides: the only category of a column', () => {
    expect(simplifyExpr(eq('veil', 'p'), schema)).toEqual({ k: 'const', value: true });
    expect(simplifyExpr(neq('veil', 'p'), schema)).toEqual({ k: 'const', value: false });
    expect(simplifyExpr(atLeast(2, [neq('veil', 'p'), eq('a', '1'), eq('b', '1')]), schema)).toEqual(atLeast(2, [eq('a', '1'), eq('b', '1')]));
    expect(simplifyExpr(lit({ type: 'notIn', feature: 'cap', values: ['b', 'c', 'f', 'k', 's', 'x'] }), schema)).toEqual({ k: 'const', value: false });
  });

  it('merges IN and NOT IN over one column: the same test counted twice', () => {
    const e = atLeast(2, [lit({ type: 'in', feature: 'cap', values: ['b', 'c'] }), lit({ type: 'notIn', feature: 'cap', values: ['f', 'k', 's', 'x'] }), eq('a', '1')]);
    // cap in {b, c} counts 2 and reaches m alone; a = 1 alone does not
    expect(simplifyExpr(e, schema)).toEqual(lit({ type: 'in', feature: 'cap', values: ['b', 'c'] }));
  });

  it('drops repeated members: at least 2 of (a, a, b, b) is at least 1 of (a, b)', () => {
    expect(simplifyExpr(atLeast(2, [eq('a', '1'), eq('b', '1'), eq('a', '1'), eq('b', '1')]), schema)).toEqual(atLeast(1, [eq('a', '1'), eq('b', '1')]));
    expect(simplifyExpr(atLeast(1, [neq('b', '1'), neq('b', '1'), eq('c', '1')]), schema)).toEqual(atLeast(1, [neq('b', '1'), eq('c', '1')]));
  });

  it('reads threshold tests on one numeric column as nested levels', () => {
    const gt = (t: number) => lit({ type: 'gt', feature: 'x', threshold: t });
    expect(simplifyExpr(atLeast(1, [gt(1), gt(2)]), schema)).toEqual(gt(1));
    expect(simplifyExpr(atLeast(1, [gt(1), lit({ type: 'le', feature: 'x', threshold: 1 })]), schema)).toEqual({ k: 'const', value: true });
    expect(simplifyExpr(atLeast(2, [gt(1), lit({ type: 'le', feature: 'x', threshold: 1 }), eq('a', '1')]), schema)).toEqual(eq('a', '1'));
  });

  it('flattens nested ANDs and ORs', () => {
    const e = atLeast(2, [atLeast(2, [eq('a', '1'), eq('b', '1')]), atLeast(1, [eq('c', '1')])]);
    expect(simplifyExpr(e, schema)).toEqual(atLeast(3, [eq('a', '1'), eq('b', '1'), eq('c', '1')]));
  });
});

describe('M-of-N algebra (property)', () => {
  const schema: Feature[] = [
    ...feats,
    { name: 'v', type: 'categorical', categories: ['p'] },
    { name: 'x', type: 'numeric' },
  ];
  // every row of the 3 × 2 × 2 × 1 × 3 space (x below, between and above the thresholds 1 and 2)
  const rows = ['1', '2', '3'].flatMap((a) => ['1', '2'].flatMap((b) => ['1', '2'].flatMap((c) => [0.5, 1.5, 2.5].map((x) => [a, b, c, 'p', x]))));
  const index = featureIndex({ features: schema });
  const evalExpr = (e: MofNExpr, row: (string | number)[]): boolean => {
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
  const categorical = fc
    .tuple(fc.constantFrom(...feats, schema[3]), fc.constantFrom('eq', 'neq', 'in', 'notIn'), fc.nat(), fc.nat())
    .map(([f, type, i, j]): MofNExpr => {
      const cats = (f as { categories: string[] }).categories;
      const v = cats[i % cats.length];
      if (type === 'eq') return eq(f.name, v);
      if (type === 'neq') return neq(f.name, v);
      const values = [...new Set([v, cats[j % cats.length]])];
      return { k: 'lit', c: { type, feature: f.name, values } };
    });
  const numeric = fc.tuple(fc.constantFrom('gt' as const, 'le' as const), fc.constantFrom(1, 2)).map(([type, threshold]): MofNExpr => ({ k: 'lit', c: { type, feature: 'x', threshold } }));
  const leaf = fc.oneof(fc.boolean().map((value): MofNExpr => ({ k: 'const', value })), categorical, numeric);
  const expr: fc.Arbitrary<MofNExpr> = fc.letrec<{ e: MofNExpr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      // members repeated on purpose: duplicates are part of what is cleaned
      fc.array(tie('e'), { minLength: 1, maxLength: 4 }).chain((items) =>
        fc.tuple(fc.integer({ min: 1, max: items.length + 2 }), fc.boolean()).map(([m, repeat]) => atLeast(Math.min(m, items.length + (repeat ? 1 : 0) + 1), repeat ? [...items, items[0]] : items)),
      ),
    ),
  })).e;

  it('simplifying, negating and reading as rules keep the meaning on every row', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const s = simplifyExpr(e, schema);
        const n = negateExpr(e);
        const rules = exprToConjunctions(e, schema);
        for (const row of rows) {
          const v = evalExpr(e, row);
          expect(evalExpr(s, row)).toBe(v);
          expect(evalExpr(n, row)).toBe(!v);
          expect(rules.some((conj) => evalConjunction(conj, row, index))).toBe(v);
        }
      }),
      { numRuns: 250, seed: 7 },
    );
  });
});
