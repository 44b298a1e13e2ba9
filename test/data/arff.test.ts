import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadArff, loadDataset, parseArff, sniffFormat } from '../../src/index.js';
import { itShared, SHARED } from '../helpers/shared-datasets.js';
import { tmpFile } from './helpers.js';

const SAMPLE = `% a comment
@RELATION 'weather data'

@attribute 'outlook type' {sunny, 'over cast', rainy}
@attribute temperature REAL
@attribute "wind speed" integer
% another comment
@attribute play {no,yes}

@data
sunny, 85, 3, no
'over cast',?,4,yes
% comment inside data
rainy, 70.5, ?, yes
`;

describe('ARFF loader', () => {
  it('reads nominal and numeric attributes, quoted names and values, comments and ?', () => {
    const ds = loadArff(SAMPLE, 'w.arff');
    expect(ds.schema.features).toEqual([
      { name: 'outlook type', type: 'categorical', categories: ['sunny', 'over cast', 'rainy'] },
      { name: 'temperature', type: 'numeric' },
      { name: 'wind speed', type: 'numeric' },
    ]);
    expect(ds.schema.target).toEqual({ name: 'play', kind: 'class', classes: ['no', 'yes'] });
    expect(ds.rows).toEqual([
      ['sunny', 85, 3],
      ['over cast', null, 4],
      ['rainy', 70.5, null],
    ]);
    expect(ds.missing).toBe(2);
  });

  it('takes an attribute named class as the default target', () => {
    const ds = loadArff('@relation r\n@attribute class {a,b}\n@attribute x numeric\n@data\na,1\nb,2\n', 'c.arff');
    expect(ds.schema.target?.name).toBe('class');
    expect(ds.schema.features).toEqual([{ name: 'x', type: 'numeric' }]);
  });

  it('reads sparse rows', () => {
    const t = parseArff('@relation r\n@attribute x numeric\n@attribute y numeric\n@attribute c {a,b}\n@data\n{1 2.5}\n{0 1, 2 b}\n', 's.arff');
    expect(t.cells).toEqual([
      ['0', '2.5', 'a'],
      ['1', '0', 'b'],
    ]);
  });

  it('rejects bad input naming file and line', () => {
    expect(() => parseArff('', 'e.arff')).toThrow('e.arff: empty file');
    expect(() => parseArff('@relation r\n@attribute x numeric\n', 'nd.arff')).toThrow('nd.arff: no @data section');
    expect(() => parseArff('@relation r\n@attribute x numeric\n@data\n', 'nr.arff')).toThrow('nr.arff:3: no data rows after @data');
    const head = '@relation r\n@attribute x numeric\n@attribute c {a,b}\n@data\n';
    expect(() => parseArff(head + '1,a\n2\n', 'rag.arff')).toThrow('rag.arff:6: expected 2 values, got 1');
    expect(() => parseArff(head + '1,a\nabc,b\n', 'num.arff')).toThrow('num.arff:6: column "x": expected a number, got "abc"');
    expect(() => parseArff(head + 'NaN,a\n', 'nan.arff')).toThrow('nan.arff:5: column "x": expected a finite number, got "NaN"');
    expect(() => parseArff(head + '1,z\n', 'nom.arff')).toThrow('nom.arff:5: column "c": value "z" is not one of the declared values {a,b}');
    expect(() => parseArff('@relation r\n@attribute x blob\n@data\n1\n', 't.arff')).toThrow('t.arff:2: attribute "x": unknown type "blob"');
    expect(() => loadArff(head + '1,a\n', 'u.arff', { target: 'nope' })).toThrow('unknown target column "nope"; available columns: "x", "c"');
  });

  it('is chosen by content for the MONK files (.train/.test)', async () => {
    expect(sniffFormat('@relation x', 'monks-1.train')).toBe('arff');
    expect(sniffFormat('[{"a":1}]', 'x.txt')).toBe('json');
    expect(sniffFormat('a,b\n1,2', 'x.txt')).toBe('csv');
    const p = tmpFile('weather.dat', SAMPLE);
    expect((await loadDataset(p)).schema.target?.name).toBe('play');
  });

  itShared('reads monks-*.train with class (the first attribute) as target', async () => {
    const sizes: Record<string, number> = { 'monks-1.train': 124, 'monks-2.train': 169, 'monks-3.train': 122 };
    for (const [f, n] of Object.entries(sizes)) {
      const ds = await loadDataset(join(SHARED, f));
      expect(ds.rows).toHaveLength(n);
      expect(ds.schema.target).toEqual({ name: 'class', kind: 'class', classes: ['0', '1'] });
      expect(ds.schema.features.map((f) => f.name)).toEqual([
        'head_shape', 'body_shape', 'is_smilling', 'holding', 'jacket_color', 'has_tie',
      ]);
      expect(ds.schema.features[4]).toEqual({ name: 'jacket_color', type: 'categorical', categories: ['1', '2', '3', '4'] });
    }
  });
});
