import { describe, expect, it } from 'vitest';
import { loadDataset, loadJsonData } from '../../src/index.js';
import { tmpFile } from './helpers.js';

describe('JSON loader', () => {
  it('reads an array of objects; absent keys and null are missing', async () => {
    const p = tmpFile('d.json', JSON.stringify([{ x: 1, c: 'a', ok: true, y: 'p' }, { x: 2.5, ok: false, y: 'q' }, { x: null, c: 'b', y: 'p' }]));
    const ds = await loadDataset(p);
    expect(ds.schema.features).toEqual([
      { name: 'x', type: 'numeric' },
      { name: 'c', type: 'categorical', categories: ['a', 'b'] },
      { name: 'ok', type: 'categorical', categories: ['false', 'true'] },
    ]);
    expect(ds.rows).toEqual([
      [1, 'a', 'true'],
      [2.5, null, 'false'],
      [null, 'b', null],
    ]);
    expect(ds.missing).toBe(3);
    expect(ds.target).toEqual(['p', 'q', 'p']);
  });

  it('rejects bad input with the JSON path', () => {
    expect(() => loadJsonData('', 'e.json')).toThrow('e.json: empty file');
    expect(() => loadJsonData('[]', 'e.json')).toThrow('e.json: at $: empty file');
    expect(() => loadJsonData('{"a":1}', 'o.json')).toThrow('o.json: at $: expected an array of objects');
    expect(() => loadJsonData('[{"a":1},3]', 'o.json')).toThrow('o.json: at $[1]: expected an object');
    expect(() => loadJsonData('[{"a":{"b":1}}]', 'o.json')).toThrow('o.json: at $[0].a: nested objects');
    expect(() => loadJsonData('[{"a":1', 'bad.json')).toThrow(/^bad\.json:1: column 8: invalid JSON: unexpected end of input/);
    const rows = Array.from({ length: 20 }, (_, i) => ({ age: i, y: 'a' })) as { age: number | string; y: string }[];
    rows[7].age = 'abc';
    expect(() => loadJsonData(JSON.stringify(rows), 'n.json')).toThrow('n.json: column "age": at $[7]: expected a number, got "abc"');
    rows[7].age = 'NaN';
    expect(() => loadJsonData(JSON.stringify(rows), 'n.json')).toThrow('n.json: column "age": at $[7]: expected a finite number, got "NaN"');
    expect(() => loadJsonData('[{"a":1,"y":"x"}]', 'n.json', { target: 'z' })).toThrow('unknown target column "z"; available columns: "a", "y"');
  });
});
