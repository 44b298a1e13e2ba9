import { describe, expect, it } from 'vitest';
import { appendRows, createRng, exportRuleSet, holdOutRows, pedagogical, sampleMarginals, substream, type ExtractContext, type RuleSet } from '../../src/index.js';
import { extractRules, loadDataset } from '../../src/index.js';
import { conceptModel, monkModel } from './models.js';

/** A new pedagogical extractor in a few lines: a majority-class leaf (a stand-in for any fit step). */
function extractMajority(ctx: ExtractContext, opts = { holdOut: 0.25, samples: 200 }): Promise<RuleSet> {
  return pedagogical(ctx, 'majority', opts, async (s) => {
    const rows = appendRows(s.heldOut.train, s.draw(opts.samples));
    const labels = await s.label(rows, 'labelling');
    const counts = [0, 0];
    for (const y of labels) counts[y]++;
    const cls = ctx.model.classes![counts[1] > counts[0] ? 1 : 0];
    return { surrogate: { kind: 'tree', root: { type: 'leaf', output: { class: cls } } } };
  });
}

describe('pedagogical', () => {
  it('holds out, samples, labels and finishes the rule set for a fit step', async () => {
    const { data, model } = await monkModel(1);
    const seen: string[] = [];
    const rs = await extractMajority({ model, data, seed: 3, progress: (_d, _t, label) => void seen.push(label ?? '') });
    expect(rs.provenance).toMatchObject({ method: 'majority', options: { holdOut: 0.25, samples: 200 }, seed: 3 });
    const nTest = Math.round(0.25 * data.rows.length);
    expect(rs.provenance.samples).toBe(data.rows.length - nTest + 200); // every labelled row counted
    expect(rs.fidelity).toMatchObject({ rows: nTest, metric: 'agreement' });
    expect(seen).toContain('labelling');
    expect(seen).toContain('held-out');
  });

  it("splits with the seed's own stream and draws from its named 'sampling' substream, reproducibly", async () => {
    const { data, model } = await monkModel(1);
    await pedagogical({ model, data, seed: 9 }, 'probe', { holdOut: 0.2 }, async (s) => {
      expect(s.heldOut).toEqual(holdOutRows(data, s.features, 0.2, 9));
      expect(s.draw(5)).toEqual(sampleMarginals(s.marginals, 5, createRng(substream(9, 'sampling'))));
      return { surrogate: { kind: 'tree', root: { type: 'leaf', output: { class: model.classes![0] } } } };
    });
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    const a = await extractMajority({ model, data, seed: 9 });
    const b = await extractMajority({ model, data, seed: 9 });
    delete process.env.SOURCE_DATE_EPOCH;
    expect(exportRuleSet(a)).toBe(exportRuleSet(b));
  });

  it('extracts from data held column by column without making its rows: the same rule sets as from row arrays', async () => {
    const rows = await loadDataset('builtin:penguins');
    const cols = await loadDataset('builtin:penguins', { columns: true });
    for (const key of ['rows', 'target']) {
      Object.defineProperty(cols, key, {
        get() {
          throw new Error(`the extraction made the ${key} of a dataset held column by column`);
        },
      });
    }
    const bill = rows.schema.features.findIndex((f) => f.name === 'bill_length_mm');
    const flipper = rows.schema.features.findIndex((f) => f.name === 'flipper_length_mm');
    const model = conceptModel(rows, 'bill-concept', (raw) => (Number(raw[bill]) > 44 ? (Number(raw[flipper]) > 205 ? 2 : 1) : 0), 3);
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      const cases: [string, Record<string, unknown>][] = [
        ['cart', { samples: 400, validation: 200 }],
        ['cart', { samples: 400, sampler: 'mixed' }],
        ['trepan', { maxNodes: 3, minSamples: 150 }],
        ['ann-dt', { samples: 300, minSamples: 100, maxLeaves: 4 }],
      ];
      for (const [method, options] of cases) {
        const a = exportRuleSet(await extractRules(method, { model, data: rows, seed: 4 }, options));
        const b = exportRuleSet(await extractRules(method, { model, data: cols, seed: 4 }, options));
        expect(b, method).toBe(a);
      }
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });
});
