import { describe, expect, it } from 'vitest';
import {
  encodedNames, encodedSpans, encodeRows, fitEncoder, identityEncoder, loadCsv, loadDataset, parseEncoder,
} from '../../src/index.js';

describe('encoder', () => {
  const ds = loadCsv('x,c,y\n1,a,p\n3,b,q\n?,a,p\n5,c,q\n', 'e.csv');

  it('one-hot encodes categories and standardises numbers (missing -> mean)', () => {
    const enc = fitEncoder(ds);
    expect(enc.inputSize).toBe(4);
    const f0 = enc.features[0];
    expect(f0).toEqual({ name: 'x', type: 'numeric', standardize: true, mean: 3, std: 2 });
    expect(encodedNames(enc)).toEqual(['x', 'c=a', 'c=b', 'c=c']);
    expect(encodedSpans(enc)).toEqual([
      { feature: 'x', start: 0, end: 1 },
      { feature: 'c', start: 1, end: 4 },
    ]);
    const out = encodeRows(enc, [...ds.rows, [7, 'zzz'], [null, null]]);
    expect([...out]).toEqual([-1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    const raw = fitEncoder(ds, { standardize: false });
    expect([...encodeRows(raw, [[5, 'b']])]).toEqual([5, 0, 1, 0]);
  });

  it('round-trips through JSON and validates with JSON paths', async () => {
    const enc = fitEncoder(await loadDataset('builtin:penguins'));
    const back = parseEncoder(JSON.parse(JSON.stringify(enc)), 'encoder.json');
    expect(back).toEqual(enc);
    expect(enc.inputSize).toBe(9);
    const rows = (await loadDataset('builtin:penguins')).rows.slice(0, 5);
    expect(encodeRows(back, rows)).toEqual(encodeRows(enc, rows));
    const bad = JSON.parse(JSON.stringify(enc));
    bad.features[1].std = -1;
    expect(() => parseEncoder(bad, 'enc.json')).toThrow(/^enc\.json: at \$\.features\[1\]\.std: /);
    const bad2 = JSON.parse(JSON.stringify(enc));
    bad2.inputSize = 10;
    expect(() => parseEncoder(bad2, 'enc.json')).toThrow('enc.json: at $.inputSize: inputSize 10 differs from the encoded width 9');
    const bad3 = JSON.parse(JSON.stringify(enc));
    bad3.features[0].name = 'isle';
    expect(() => parseEncoder(bad3, 'enc.json')).toThrow('at $.features[0].name: name "isle" differs');
    expect(() => parseEncoder({ format: 'x' }, 'enc.json')).toThrow(/^enc\.json: at \$\.format: /);
  });

  it('identityEncoder feeds numeric columns as they are and refuses categorical ones', async () => {
    const xor = await loadDataset('builtin:xor?n=10');
    const enc = identityEncoder(xor);
    expect(enc.inputSize).toBe(10);
    expect(encodeRows(enc, xor.rows.slice(0, 1))).toEqual(Float32Array.from(xor.rows[0] as number[]));
    expect(() => identityEncoder(ds)).toThrow('e.csv: column "c": is categorical, but the model has no encoder.json');
    const un = loadCsv('x,y\n1,2\n', 'u.csv', { noTarget: true });
    expect(() => fitEncoder(un)).toThrow('u.csv: fitting an encoder needs data with a target column');
  });
});
