import { describe, expect, it } from 'vitest';
import { countRules, extractRules, loadDataset, predictLabels, type ConditionT, type TreeNodeT } from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';

const conditions = (t: TreeNodeT): ConditionT[] => (t.type === 'leaf' ? [] : [t.condition, ...conditions(t.yes), ...conditions(t.no)]);

describe('MONK-2 with a network trained by trainMlp', () => {
  it('cart and trepan reach fidelity >= 0.99 on all 432 examples; trepan with M-of-N tests and far fewer rules', async () => {
    const data = await loadDataset('builtin:monk2');
    const { model } = await trainedModel('builtin:monk2', { hidden: [16], epochs: 60, seed: 1, validationSplit: 0 });
    const labels = await model.predictLabels(data.rows);
    const fidelity = (p: Float64Array) => p.filter((v, i) => v === labels[i]).length / p.length;
    const trepan = await extractRules('trepan', { model, data, seed: 42 });
    const cart = await extractRules('cart', { model, data, seed: 42 }, { maxLeaves: 100, maxDepth: 12, raiseTolerance: 0 });
    const ft = fidelity(predictLabels(trepan, data.rows));
    const fc = fidelity(predictLabels(cart, data.rows));
    console.log(`MONK-2 (trained [16]): trepan ${countRules(trepan).rules} rules, fidelity ${ft}; cart ${countRules(cart).rules} rules, fidelity ${fc}`);
    expect(ft).toBeGreaterThanOrEqual(0.99);
    expect(fc).toBeGreaterThanOrEqual(0.99);
    expect(conditions((trepan.surrogate as { root: TreeNodeT }).root).some((c) => c.type === 'mofn')).toBe(true);
    expect(countRules(trepan).rules * 5).toBeLessThanOrEqual(countRules(cart).rules);
    await model.dispose();
  }, 90_000);
});
