import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTabularModel, extractorApplies, extractorNames, extractors, extractRules, fitEncoder, functionBlackBox, loadDataset, optionDefaults } from '../../src/index.js';
import { monkModel } from './models.js';

describe('extractor registry', () => {
  it('lists cart and trepan with their interface', () => {
    expect(extractorNames().slice(0, 2)).toEqual(['cart', 'trepan']);
    for (const name of ['cart', 'trepan']) {
      const ex = extractors[name];
      expect(ex.name).toBe(name);
      expect(ex.decompositional).toBe(false);
      expect(typeof ex.description).toBe('string');
      expect(typeof ex.extract).toBe('function');
      expect(Object.keys(ex.defaults)).toContain('holdOut');
    }
  });

  it("declares every extractor's options as one schema whose defaults are the recorded defaults", () => {
    for (const ex of Object.values(extractors)) expect(optionDefaults(ex.options)).toEqual(ex.defaults);
  });

  it('rejects an unknown method, listing the methods', async () => {
    const { data, model } = await monkModel(1);
    await expect(extractRules('c4.5', { model, data, seed: 1 })).rejects.toThrow(
      `unknown extraction method "c4.5"; methods: ${extractorNames().join(', ')}`,
    );
    // Not fooled by Object.prototype names.
    await expect(extractRules('toString', { model, data, seed: 1 })).rejects.toThrow('unknown extraction method "toString"');
  });

  it('refuses decompositional methods on models without readable weights', async () => {
    const { data, model } = await monkModel(1);
    extractors.fake = { name: 'fake', description: 'test', decompositional: true, options: z.strictObject({}), defaults: {}, extract: async () => ({}) as never };
    try {
      await expect(extractRules('fake', { model, data, seed: 1 })).rejects.toThrow(
        /method "fake" reads the network's weights, which this model \(function\) does not expose; use a pedagogical method \(cart, trepan/,
      );
    } finally {
      delete extractors.fake;
    }
  });

  it('says which methods apply to a model, and why the others do not', async () => {
    const { model } = await monkModel(1);
    expect(extractorApplies('cart', model)).toEqual({ applies: true });
    expect(extractorApplies('cred', model)).toEqual({ applies: false, reason: "cred needs the network's weights; function models do not expose them: use a pedagogical method (cart, trepan)" });
    const data = await loadDataset('builtin:xor?n=20');
    const enc = fitEncoder({ ...data, target: data.rows.map(() => 1), schema: { ...data.schema, target: { name: 'y', kind: 'regression' } } });
    const reg = createTabularModel(functionBlackBox((_x, n) => new Float32Array(n), { task: 'regression', inputSize: enc.inputSize, outputSize: 1 }), enc);
    expect(extractorApplies('cart', reg)).toEqual({ applies: true });
    expect(extractorApplies('trepan', reg)).toEqual({ applies: false, reason: 'trepan extracts classification rules; this is a regression model' });
    expect(() => extractorApplies('c4.5', reg)).toThrow('unknown extraction method "c4.5"');
  });

  it('reports progress while extracting', async () => {
    const { data, model } = await monkModel(3);
    const labels = new Set<string>();
    await extractRules('cart', { model, data, seed: 1, progress: (_d, _t, label) => labels.add(label ?? '') }, { samples: 200 });
    expect([...labels]).toEqual(expect.arrayContaining(['labelling', 'fitting', 'held-out']));
  });
});
