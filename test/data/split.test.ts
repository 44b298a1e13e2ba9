import { describe, expect, it } from 'vitest';
import { loadCsv, loadDataset, selectRows, splitDataset, targetValues, alignRows } from '../../src/index.js';

describe('splitDataset and selectRows', () => {
  it('splits iris 80/20 stratified, seeded, disjoint and complete', async () => {
    const iris = await loadDataset('builtin:iris');
    const [train, test] = splitDataset(iris, 0.8, 42);
    expect(train.rows).toHaveLength(120);
    expect(test.rows).toHaveLength(30);
    for (const c of ['setosa', 'versicolor', 'virginica']) {
      expect(train.target!.filter((t) => t === c)).toHaveLength(40);
      expect(test.target!.filter((t) => t === c)).toHaveLength(10);
    }
    const key = (r: unknown[]) => JSON.stringify(r);
    const all = [...train.rows, ...test.rows].map(key).sort();
    expect(all).toEqual(iris.rows.map(key).sort());
    const [train2] = splitDataset(iris, 0.8, 42);
    expect(train2.rows).toEqual(train.rows);
    const [train3] = splitDataset(iris, 0.8, 43);
    expect(train3.rows).not.toEqual(train.rows);
    expect(train.schema).toBe(iris.schema);
  });

  it('splits regression data without strata and rejects a bad fraction', () => {
    const ds = loadCsv('x,y\n' + Array.from({ length: 10 }, (_, i) => `${i},${i + 0.5}`).join('\n'), 'r.csv');
    const [a, b] = splitDataset(ds, 0.7, 1);
    expect([a.rows.length, b.rows.length]).toEqual([7, 3]);
    expect(() => splitDataset(ds, 1, 1)).toThrow(RangeError);
  });

  it('selectRows keeps order and recounts missing values', async () => {
    const p = await loadDataset('builtin:penguins');
    const s = selectRows(p, [3, 0, 3]);
    expect(s.rows[1]).toEqual(p.rows[0]);
    expect(s.missing).toBe(10);
    expect(s.target).toEqual(['Adelie', 'Adelie', 'Adelie']);
  });
});

describe('targetValues and alignRows', () => {
  it('gives class indices, values and NaN for missing', () => {
    const c = loadCsv('x,y\n1,b\n2,a\n3,\n', 'c.csv');
    expect([...targetValues(c)]).toEqual([1, 0, NaN]);
    const r = loadCsv('x,y\n1,0.5\n2,?\n', 'r.csv');
    expect([...targetValues(r)]).toEqual([0.5, NaN]);
  });

  it('reorders columns by name and reads numeric codes as categories', () => {
    const ds = loadCsv('a,b,code,y\n1,2,1,p\n3,4,2,q\n', 'd.csv');
    const rows = alignRows(ds, [
      { name: 'code', type: 'categorical', categories: ['1', '2'] },
      { name: 'a', type: 'numeric' },
    ]);
    expect(rows).toEqual([
      ['1', 1],
      ['2', 3],
    ]);
  });

  it('names a missing column or a type clash', () => {
    const ds = loadCsv('a,b,c,y\n1,x,3,p\n', 'd.csv');
    expect(() => alignRows(ds, [{ name: 'z', type: 'numeric' }])).toThrow('d.csv: the data has no column "z" (needed by the model); its columns: "a", "b", "c"');
    expect(() => alignRows(ds, [{ name: 'b', type: 'numeric' }])).toThrow('d.csv: column "b": expected a numeric column, the data has a categorical one');
    expect(() => alignRows(ds, [{ name: 'c', type: 'categorical', categories: ['1'] }])).toThrow('column "c": expected a categorical column with values {1}, got the number 3');
  });
});
