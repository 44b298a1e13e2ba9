import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { listBuiltins, loadDataset, MONK_CONCEPTS } from '../../src/index.js';
import { itShared, SHARED } from '../helpers/shared-datasets.js';

describe('built-in datasets', () => {
  it('lists every builtin with sizes that match what loads', async () => {
    const list = listBuiltins();
    expect(list.map((b) => b.name)).toEqual(['iris', 'penguins', 'monk1', 'monk2', 'monk3', 'xor']);
    for (const b of list) {
      const ds = await loadDataset(`builtin:${b.name}`);
      expect(ds.rows.length).toBe(b.rows);
      expect(ds.schema.features.length).toBe(b.features);
      expect(ds.schema.target?.name).toBe(b.target);
      expect(ds.source).toBe(`builtin:${b.name}`);
      expect(b.source.length).toBeGreaterThan(5);
    }
  });

  it('iris: 4 numeric features, 50 of each species', async () => {
    const ds = await loadDataset('builtin:iris');
    expect(ds.schema.features.map((f) => f.name)).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
    expect(ds.rows[0]).toEqual([5.1, 3.5, 1.4, 0.2]);
    expect(ds.schema.target).toEqual({ name: 'species', kind: 'class', classes: ['setosa', 'versicolor', 'virginica'] });
    expect(ds.target!.filter((t) => t === 'virginica')).toHaveLength(50);
  });

  it('penguins: categorical island and sex, missing values kept', async () => {
    const ds = await loadDataset('builtin:penguins');
    expect(ds.schema.features).toEqual([
      { name: 'island', type: 'categorical', categories: ['Biscoe', 'Dream', 'Torgersen'] },
      { name: 'beak_length_mm', type: 'numeric' },
      { name: 'beak_depth_mm', type: 'numeric' },
      { name: 'flipper_length_mm', type: 'numeric' },
      { name: 'body_mass_g', type: 'numeric' },
      { name: 'sex', type: 'categorical', categories: ['FEMALE', 'MALE'] },
    ]);
    expect(ds.rows[0]).toEqual(['Torgersen', 39.1, 18.7, 181, 3750, 'MALE']);
    expect(ds.rows[3]).toEqual(['Torgersen', null, null, null, null, null]);
    // 2 rows without measurements (4 numbers + sex each), 9 more without sex (one written ".")
    expect(ds.missing).toBe(19);
    expect(ds.rows.every((r) => r[5] !== '.')).toBe(true);
    expect(ds.schema.target).toEqual({ name: 'species', kind: 'class', classes: ['Adelie', 'Chinstrap', 'Gentoo'] });
  });

  itShared('MONK generators match the labels of the published 432-example test files', async () => {
    for (const k of [1, 2, 3] as const) {
      const gen = await loadDataset(`builtin:monk${k}`);
      const file = await loadDataset(join(SHARED, `monks-${k}.test`));
      expect(gen.rows).toHaveLength(432);
      expect(file.rows).toHaveLength(432);
      // same enumeration order and same attribute values...
      expect(gen.rows).toEqual(file.rows);
      // ...and the same labels: monks-3.test carries the noise-free concept
      expect(gen.target).toEqual(file.target);
    }
    const m1 = await loadDataset('builtin:monk1');
    expect(m1.schema.features.map((f) => f.name)).toEqual(['head_shape', 'body_shape', 'is_smiling', 'holding', 'jacket_color', 'has_tie']);
    expect(MONK_CONCEPTS[2]([1, 1, 2, 2, 2, 2])).toBe(true);
    expect(MONK_CONCEPTS[2]([1, 1, 1, 2, 2, 2])).toBe(false);
  });

  it('monk3 noise flips a seeded 5 % of the labels', async () => {
    const clean = await loadDataset('builtin:monk3');
    const a = await loadDataset('builtin:monk3?noise=0.05&seed=1');
    const b = await loadDataset('builtin:monk3?noise=0.05&seed=1');
    const c = await loadDataset('builtin:monk3?noise=0.05&seed=2');
    const flips = (ds: typeof a) => ds.target!.filter((t, i) => t !== clean.target![i]).length;
    expect(flips(a)).toBe(22); // round(0.05 * 432)
    expect(b.target).toEqual(a.target);
    expect(c.target).not.toEqual(a.target);
    expect(a.source).toBe('builtin:monk3?noise=0.05&seed=1');
  });

  it('xor: size and seed settable, label = round(x0) XOR round(x1)', async () => {
    const ds = await loadDataset('builtin:xor?n=500&seed=7');
    expect(ds.rows).toHaveLength(500);
    expect(ds.schema.features.map((f) => f.name)).toEqual(Array.from({ length: 10 }, (_, i) => `x${i}`));
    ds.rows.forEach((r, i) => {
      expect(r.every((v) => typeof v === 'number' && v >= 0 && v < 1)).toBe(true);
      expect(ds.target![i]).toBe(String(Math.round(r[0] as number) ^ Math.round(r[1] as number)));
    });
    expect((await loadDataset('builtin:xor?n=500&seed=7')).rows).toEqual(ds.rows);
    expect((await loadDataset('builtin:xor?seed=8')).rows[0]).not.toEqual(ds.rows[0]);
    expect((await loadDataset('builtin:xor')).rows).toEqual((await loadDataset('builtin:xor?n=1000&seed=42')).rows);
  });

  it('rejects unknown builtins and bad parameters', async () => {
    await expect(loadDataset('builtin:nope')).rejects.toThrow('builtin:nope: unknown built-in dataset "nope"; built-ins: iris, penguins, monk1, monk2, monk3, xor');
    await expect(loadDataset('builtin:xor?m=3')).rejects.toThrow('unknown parameter "m" for builtin:xor (allowed: n, seed)');
    await expect(loadDataset('builtin:xor?n=-3')).rejects.toThrow('parameter "n" must be an integer from 1 to 10000000, got "-3"');
    await expect(loadDataset('builtin:monk3?noise=abc')).rejects.toThrow('parameter "noise" must be a number');
    await expect(loadDataset('builtin:iris?n=3')).rejects.toThrow('(it takes none)');
  });

  it('applies load options to builtins', async () => {
    const ds = await loadDataset('builtin:penguins', { target: 'sex', ignore: ['island'] });
    expect(ds.schema.target).toEqual({ name: 'sex', kind: 'class', classes: ['FEMALE', 'MALE'] });
    expect(ds.schema.features.map((f) => f.name)).toEqual(['beak_length_mm', 'beak_depth_mm', 'flipper_length_mm', 'body_mass_g', 'species']);
    const un = await loadDataset('builtin:iris', { noTarget: true });
    expect(un.schema.target).toBeUndefined();
    expect(un.schema.features).toHaveLength(5);
  });
});
