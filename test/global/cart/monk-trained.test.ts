import { describe, expect, it } from 'vitest';
import { countRules, extractRules, loadDataset, predictLabels } from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';

describe('MONK-1 and MONK-3 with networks trained by trainMlp', () => {
  it('cart and trepan reach fidelity >= 0.99 on all 432 examples', async () => {
    const figures: string[] = [];
    for (const k of [1, 3]) {
      const data = await loadDataset(`builtin:monk${k}`);
      const { model } = await trainedModel(`builtin:monk${k}`, { hidden: [16], epochs: 60, seed: 1, validationSplit: 0 });
      const labels = await model.predictLabels(data.rows);
      for (const method of ['cart', 'trepan']) {
        const rs = await extractRules(method, { model, data, seed: 42 });
        const p = predictLabels(rs, data.rows);
        const fid = p.filter((v, i) => v === labels[i]).length / p.length;
        figures.push(`monk${k} ${method}: ${countRules(rs).rules} rules, fidelity ${fid}`);
        expect(fid).toBeGreaterThanOrEqual(0.99);
      }
      await model.dispose();
    }
    console.log(figures.join('; '));
  }, 120_000);
});
