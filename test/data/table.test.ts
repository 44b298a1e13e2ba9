import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alignRows,
  alignTable,
  appendRows,
  loadDataset,
  pickRows,
  rowCount,
  rowOf,
  rowReader,
  rowsOf,
  rowSlice,
  tableOf,
  targetValues,
  type Feature,
  type Row,
} from '../../src/index.js';

const features: Feature[] = [
  { name: 'x', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['blue', 'red'] },
];

describe('DataTable', () => {
  it('holds rows column by column and reads them back exactly, missing cells and values outside the categories included', () => {
    const rows: Row[] = [
      [1.5, 'red'],
      [null, 'blue'],
      [-0, null],
      [2, 'green'],
    ];
    const t = tableOf(rows, features);
    expect(t.columns[0]).toBeInstanceOf(Float64Array);
    expect(Array.from(t.columns[0])).toEqual([1.5, NaN, -0, 2]);
    expect(t.columns[1]).toBeInstanceOf(Int32Array);
    expect(Array.from(t.columns[1])).toEqual([1, 0, -1, 2]);
    expect(t.levels[1]).toEqual(['blue', 'red', 'green']);
    expect(features[1]).toEqual({ name: 'colour', type: 'categorical', categories: ['blue', 'red'] }); // not changed
    expect(rowsOf(t)).toEqual(rows);
    expect(rowOf(t, 3)).toEqual([2, 'green']);
    expect(rowCount(t)).toBe(4);
    expect(rowSlice(t, 2, 99)).toEqual(rows.slice(2));
    expect(rowSlice(rows, 1, 3)).toEqual(rows.slice(1, 3));
  });

  it('picks and appends rows, and reads them through one scratch row when asked', () => {
    const t = tableOf([[1, 'red'], [2, 'blue'], [3, null]], features);
    expect(rowsOf(pickRows(t, [2, 0]))).toEqual([[3, null], [1, 'red']]);
    const more = appendRows(t, [[4, 'violet']]);
    expect(rowsOf(more)).toEqual([[1, 'red'], [2, 'blue'], [3, null], [4, 'violet']]);
    expect(t.levels[1]).toEqual(['blue', 'red']); // the source keeps its levels
    const scratch = rowReader(t, { scratch: true });
    expect(scratch(0)).toBe(scratch(1));
    expect(scratch(1)).toEqual([2, 'blue']);
    const fresh = rowReader(t);
    expect(fresh(0)).not.toBe(fresh(1));
  });

  it("aligns with a model's features as alignRows does: order, numbers read as categories, the same errors", () => {
    const data: Feature[] = [
      { name: 'k', type: 'numeric' },
      { name: 'colour', type: 'categorical', categories: ['green', 'red'] },
      { name: 'x', type: 'numeric' },
    ];
    const rows: Row[] = [[1, 'red', 0.5], [2, 'green', null], [null, null, 7]];
    const ds = { source: 'd.csv', schema: { features: data }, rows, missing: 3 };
    const model: Feature[] = [
      { name: 'x', type: 'numeric' },
      { name: 'colour', type: 'categorical', categories: ['blue', 'red'] },
      { name: 'k', type: 'categorical', categories: ['1', '2'] },
    ];
    const t = alignTable(tableOf(rows, data), model, 'd.csv');
    expect(rowsOf(t)).toEqual(alignRows(ds, model));
    expect(t.levels[1]!.slice(0, 2)).toEqual(['blue', 'red']);
    const bad = [
      [{ name: 'nope', type: 'numeric' }],
      [{ name: 'colour', type: 'numeric' }],
      [{ name: 'k', type: 'categorical', categories: ['1'] }],
    ] as Feature[][];
    for (const f of bad) {
      expect(() => alignTable(tableOf(rows, data), f, 'd.csv')).toThrow(expect.objectContaining({ message: expect.any(String) }));
      let rowsError = '';
      try {
        alignRows(ds, f);
      } catch (e) {
        rowsError = String(e);
      }
      expect(() => alignTable(tableOf(rows, data), f, 'd.csv')).toThrow(rowsError.replace(/^InputError: /, ''));
    }
  });
});

describe('loadDataset with { columns: true }', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'distill-table-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('holds the same rows, target and counts as row arrays, and makes the rows only when asked', async () => {
    const csv = join(dir, 'mixed.csv');
    await writeFile(csv, 'a,b,c,y\n1.5,red,3,yes\n,blue,4,no\n2.25,,5,yes\n-1,red,,\n');
    for (const spec of ['builtin:penguins', 'builtin:iris', csv]) {
      const rows = await loadDataset(spec);
      const cols = await loadDataset(spec, { columns: true });
      expect(cols.table!.n).toBe(rows.rows.length);
      expect(Array.from(targetValues(cols))).toEqual(Array.from(targetValues(rows)));
      expect(cols.missing).toBe(rows.missing);
      expect(cols.schema).toEqual(rows.schema);
      expect(cols.rows).toEqual(rows.rows);
      expect(cols.target).toEqual(rows.target);
    }
  });

  it('streams a large CSV into its columns', async () => {
    const csv = join(dir, 'big.csv');
    const lines = ['x,kind,y'];
    for (let i = 0; i < 3000; i++) lines.push(`${(i * 0.37).toFixed(2)},${i % 3 === 0 ? '' : ['a', 'b'][i % 2]},${i % 5 === 0 ? 'p' : 'q'}`);
    await writeFile(csv, lines.join('\n') + '\n');
    const rows = await loadDataset(csv, { inMemoryBytes: 0 });
    const cols = await loadDataset(csv, { inMemoryBytes: 0, columns: true });
    expect(cols.table!.columns.map((c) => c.constructor.name)).toEqual(['Float64Array', 'Int32Array']);
    expect(cols.targetColumn).toBeInstanceOf(Int32Array);
    expect(cols.rows).toEqual(rows.rows);
    expect(cols.target).toEqual(rows.target);
  });
});
