import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadDataset, parseCsv, loadCsv } from '../../src/index.js';
import { describeShared, SHARED } from '../helpers/shared-datasets.js';
import { tmpFile } from './helpers.js';

describe('CSV loader', () => {
  it('reads a header, RFC 4180 quotes, trimmed spaces, ? and empty as missing', async () => {
    const p = tmpFile('d.csv', 'age, name ,"city, full",y\n30, "Ann, B" ,"a ""b""",yes\n?,Bob,,no\n 41 ,Cy,x,yes\n');
    const ds = await loadDataset(p);
    expect(ds.schema.features).toEqual([
      { name: 'age', type: 'numeric' },
      { name: 'name', type: 'categorical', categories: ['Ann, B', 'Bob', 'Cy'] },
      { name: 'city, full', type: 'categorical', categories: ['a "b"', 'x'] },
    ]);
    expect(ds.schema.target).toEqual({ name: 'y', kind: 'class', classes: ['no', 'yes'] });
    expect(ds.rows).toEqual([
      [30, 'Ann, B', 'a "b"'],
      [null, 'Bob', null],
      [41, 'Cy', 'x'],
    ]);
    expect(ds.target).toEqual(['yes', 'no', 'yes']);
    expect(ds.missing).toBe(2);
    expect(ds.source).toBe(p);
  });

  it('handles CRLF line ends and a UTF-8 BOM', () => {
    const ds = loadCsv('\uFEFFx,y\r\n1,a\r\n2,b\r\n\r\n', 'crlf.csv');
    expect(ds.schema.features).toEqual([{ name: 'x', type: 'numeric' }]);
    expect(ds.rows).toEqual([[1], [2]]);
    expect(ds.target).toEqual(['a', 'b']);
  });

  it('names the columns of a headerless file col_N and takes the target by index', () => {
    const text = 'a,1.5,x\nb,2.5,y\n';
    const ds = loadCsv(text, 'h.csv', { targetIndex: 0 });
    expect(ds.schema.features.map((f) => f.name)).toEqual(['col_1', 'col_2']);
    expect(ds.schema.target).toEqual({ name: 'col_0', kind: 'class', classes: ['a', 'b'] });
    expect(loadCsv(text, 'h.csv', { targetIndex: -1 }).schema.target?.name).toBe('col_2');
    expect(loadCsv(text, 'h.csv', { header: true }).schema.features.map((f) => f.name)).toEqual(['a', '1.5']);
  });

  it('infers class targets from few integers, regression otherwise, and orders classes numerically', () => {
    const cls = loadCsv('x,y\n1,10\n2,9\n3,1.0\n4,10\n', 'c.csv');
    expect(cls.schema.target).toEqual({ name: 'y', kind: 'class', classes: ['1', '9', '10'] });
    expect(cls.target).toEqual(['10', '9', '1', '10']);
    const reg = loadCsv('x,y\n1,0.5\n2,1.25\n', 'r.csv');
    expect(reg.schema.target).toEqual({ name: 'y', kind: 'regression' });
    expect(reg.target).toEqual([0.5, 1.25]);
    const many = loadCsv('x,y\n' + Array.from({ length: 25 }, (_, i) => `${i},${i}`).join('\n'), 'm.csv');
    expect(many.schema.target?.kind).toBe('regression');
  });

  it('forces categorical columns and ignores columns', () => {
    const ds = loadCsv('id,zip,v,y\n1,10,0.5,a\n2,9,0.7,b\n', 'f.csv', { categorical: ['zip'], ignore: ['id'] });
    expect(ds.schema.features).toEqual([
      { name: 'zip', type: 'categorical', categories: ['9', '10'] },
      { name: 'v', type: 'numeric' },
    ]);
    expect(ds.rows).toEqual([
      ['10', 0.5],
      ['9', 0.7],
    ]);
  });

  it('rejects an empty file and a header without rows', async () => {
    await expect(loadDataset(tmpFile('e.csv', ''))).rejects.toThrow(/e\.csv: empty file: no rows$/);
    await expect(loadDataset(tmpFile('e2.csv', '\n  \n'))).rejects.toThrow('empty file');
    expect(() => loadCsv('a,b\n', 'h.csv')).toThrow('h.csv:1: no data rows below the header');
  });

  it('rejects ragged rows naming file and line', () => {
    expect(() => loadCsv('a,b,c\n1,2,3\n4,5\n', 'rag.csv')).toThrow('rag.csv:3: expected 3 fields (as in the header), got 2');
    expect(() => loadCsv('1,2,3\n4,5,6\n\n7,8,9,10\n', 'rag2.csv')).toThrow('rag2.csv:4: expected 3 fields (as on line 1), got 4');
  });

  it('rejects a word in a numeric column naming file, line and column', () => {
    const rows = ['age,y'];
    for (let i = 0; i < 20; i++) rows.push(`${20 + i},a`);
    rows[16] = 'abc,a'; // line 17
    expect(() => loadCsv(rows.join('\n'), 'data.csv')).toThrow('data.csv:17: column "age": expected a number, got "abc"');
    // ... unless forced categorical
    const ds = loadCsv(rows.join('\n'), 'data.csv', { categorical: ['age'] });
    expect(ds.schema.features[0].type).toBe('categorical');
  });

  it('keeps a mostly-text column categorical', () => {
    const ds = loadCsv('v,y\n1,a\nlow,b\nhigh,a\n2,b\n', 'mix.csv');
    expect(ds.schema.features[0]).toEqual({ name: 'v', type: 'categorical', categories: ['1', '2', 'high', 'low'] });
  });

  it('rejects NaN and Infinity in numeric columns', () => {
    expect(() => loadCsv('x,y\n1,a\nNaN,b\n3,a\n', 'n.csv')).toThrow('n.csv:3: column "x": expected a finite number, got "NaN"');
    expect(() => loadCsv('x,y\n1,a\n2,b\n3,-Infinity\n', 'n.csv', { target: 'x' })).not.toThrow();
    expect(() => loadCsv('x,y\n1,2\n2,Infinity\n', 'n.csv')).toThrow('n.csv:3: column "y": expected a finite number, got "Infinity"');
  });

  it('rejects an unknown target, listing the columns', () => {
    expect(() => loadCsv('a,b\n1,2\n', 't.csv', { target: 'c' })).toThrow('t.csv: unknown target column "c"; available columns: "a", "b"');
    expect(() => loadCsv('a,b\n1,2\n', 't.csv', { ignore: ['z'] })).toThrow('unknown ignored column "z"');
    expect(() => loadCsv('a,b\n1,2\n', 't.csv', { targetIndex: 5 })).toThrow('target index 5 is out of range');
  });

  it('reports unclosed quotes with the file', () => {
    expect(() => parseCsv('a,b\n1,"2\n', 'q.csv')).toThrow(/^q\.csv:\d+: CSV syntax error/);
  });

  it('warns when the default target (the last column) is a number with many values, naming the flags', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${1000 + 7 * i},${i % 2 ? 'M' : 'B'},${(i * 0.37).toFixed(2)}`);
    const text = `id,diagnosis,area\n${rows.join('\n')}\n`;
    const ds = loadCsv(text, 'w.csv');
    expect(ds.schema.target).toEqual({ name: 'area', kind: 'regression' });
    expect(ds.warnings).toEqual([
      'column "id" looks like a row identifier (a different integer on every row): if it is one, drop it with --ignore id',
      'no target was named, so the last column "area" is the target: a numeric column with 60 distinct values, so the model is a regression; if the target is another column, name it with --target NAME or --target-index N',
    ]);
    // named targets, and a class-like last column, say nothing about the target
    expect(loadCsv(text, 'w.csv', { target: 'diagnosis', ignore: ['id'] }).warnings).toBeUndefined();
    expect(loadCsv(text, 'w.csv', { target: 'area', ignore: ['id'] }).warnings).toBeUndefined();
    expect(loadCsv('x,y\n1.5,0\n2.5,1\n3.5,2\n', 'c.csv').warnings).toBeUndefined();
  });

  it('renames duplicate header names with a warning', () => {
    const ds = loadCsv('x,x,y\n1,2,a\n', 'dup.csv');
    expect(ds.schema.features.map((f) => f.name)).toEqual(['x', 'x_2']);
    expect(ds.warnings).toEqual(['duplicate column name "x" renamed "x_2"']);
  });
});

describeShared('CSV loader on the shared public files', () => {
  it('adult.csv: no header, a space after every comma, ? missing', async () => {
    const ds = await loadDataset(join(SHARED, 'adult.csv'));
    expect(ds.rows).toHaveLength(32561);
    expect(ds.schema.features).toHaveLength(14);
    expect(ds.schema.features.filter((f) => f.type === 'numeric').map((f) => f.name)).toEqual([
      'col_0', 'col_2', 'col_4', 'col_10', 'col_11', 'col_12',
    ]);
    expect(ds.schema.target).toEqual({ name: 'col_14', kind: 'class', classes: ['<=50K', '>50K'] });
    expect(ds.rows[0].slice(0, 4)).toEqual([39, 'State-gov', 77516, 'Bachelors']);
    expect(ds.missing).toBeGreaterThan(4000);
    const work = ds.schema.features[1];
    expect(work.type === 'categorical' && work.categories.includes('?')).toBe(false);
    expect(ds.warnings).toBeUndefined();
  });

  it('wdbc.data: a partial header naming 3 of 32 columns', async () => {
    const ds = await loadDataset(join(SHARED, 'wdbc.data'), { target: 'Diagnosis', ignore: ['ID'] });
    expect(ds.rows).toHaveLength(569);
    expect(ds.schema.features).toHaveLength(30);
    expect(ds.schema.features.slice(0, 3).map((f) => f.name)).toEqual(['Size', 'col_3', 'col_4']);
    expect(ds.schema.features.every((f) => f.type === 'numeric')).toBe(true);
    expect(ds.schema.target).toEqual({ name: 'Diagnosis', kind: 'class', classes: ['B', 'M'] });
    expect(ds.target!.filter((t) => t === 'M')).toHaveLength(212);
    expect(ds.warnings).toEqual([
      'the header names 3 of 32 columns: taken as names of the first 3 (the others are called col_3..col_31); check them',
    ]);
  });

  it('mushroom.csv: headerless, all categorical, target at index 0', async () => {
    const ds = await loadDataset(join(SHARED, 'mushroom.csv'), { targetIndex: 0 });
    expect(ds.rows).toHaveLength(8124); // the shared README says 8,123, but the file holds 8,124 lines (the last without a newline)
    expect(ds.schema.features).toHaveLength(22);
    expect(ds.schema.features.every((f) => f.type === 'categorical')).toBe(true);
    expect(ds.schema.target).toEqual({ name: 'col_0', kind: 'class', classes: ['e', 'p'] });
    expect(ds.missing).toBe(2480);
  });

  it('xor.csv, magic.csv and letter.csv: header rows', async () => {
    const xor = await loadDataset(join(SHARED, 'xor.csv'));
    expect(xor.schema.features.map((f) => f.name)).toEqual(Array.from({ length: 10 }, (_, i) => `feat_${i}`));
    expect(xor.schema.target).toEqual({ name: 'xor', kind: 'class', classes: ['0', '1'] });
    const magic = await loadDataset(join(SHARED, 'magic.csv'));
    expect(magic.rows).toHaveLength(19020);
    expect(magic.schema.features).toHaveLength(10);
    expect(magic.schema.target).toEqual({ name: 'class', kind: 'class', classes: ['gamma', 'hadron'] });
    const letter = await loadDataset(join(SHARED, 'letter.csv'), { target: 'letter' });
    expect(letter.rows).toHaveLength(20000);
    expect(letter.schema.features).toHaveLength(16);
    const t = letter.schema.target!;
    expect(t.kind === 'class' && t.classes.length).toBe(26);
    // the header names 16 of 17 columns and ends with the letter: aligned to the right
    expect(letter.warnings?.[0]).toMatch(/taken as names of the last 16/);
  });
});
