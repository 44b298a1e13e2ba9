import { describe, expect, it } from 'vitest';
import { decodeValue, encodedColumns, encodeRows, encodingJacobian, fitEncoder, loadCsv, rawGradients, sumToColumns } from '../../src/index.js';

const ds = loadCsv('x,c,y\n1,a,p\n3,b,q\n5,c,p\n', 'mixed.csv', { target: 'y' });

describe('encoded columns', () => {
  it('maps every encoded input to its original column and category', () => {
    const enc = fitEncoder(ds);
    const cols = encodedColumns(enc);
    expect(cols.map((c) => [c.column, c.feature, c.kind === 'onehot' ? c.category : c.kind])).toEqual([
      [0, 'x', 'numeric'],
      [1, 'c', 'a'],
      [1, 'c', 'b'],
      [1, 'c', 'c'],
    ]);
    const x = cols[0];
    if (x.kind !== 'numeric') throw new Error('x is numeric');
    expect(decodeValue(x, encodeRows(enc, [[5, 'a']])[0])).toBeCloseTo(5, 6);
  });

  it('sums per-input values into per-column values, row by row', () => {
    const enc = fitEncoder(ds);
    expect([...sumToColumns(enc, [0.5, 0.1, 0.2, 0.3, -1, 0, 0, 2], 2)]).toEqual([0.5, 0.1 + 0.2 + 0.3, -1, 2]);
    expect(() => sumToColumns(enc, [1, 2, 3])).toThrow(RangeError);
  });

  it('turns gradients w.r.t. standardised inputs into gradients w.r.t. raw values', () => {
    const enc = fitEncoder(ds); // x: mean 3, sample std 2
    const j = encodingJacobian(enc);
    expect(j[0]).toBeCloseTo(0.5, 12);
    expect([...j.slice(1)].every(Number.isNaN)).toBe(true);
    // f(encoded) = 4·z  with z = (x − 3)/2  →  df/dx = 2
    const g = rawGradients(enc, [4, 0, 0, 0]);
    expect(g[0]).toBeCloseTo(2, 12);
    expect(Number.isNaN(g[1])).toBe(true);
    const plain = fitEncoder(ds, { standardize: false });
    expect(rawGradients(plain, [4, 0, 0, 0])[0]).toBe(4);
  });
});
