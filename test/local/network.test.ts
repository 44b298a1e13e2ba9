import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorTabular, createRng, explainAnchors, explainLime, loadDataset, predictLabels, type Dataset, type RuleSet, type TabularModel } from '../../src/index.js';
import { trainedModel } from '../helpers/trained.js';

let iris: Dataset;
let model: TabularModel;

beforeAll(async () => {
  ({ model, data: iris } = await trainedModel('builtin:iris', { epochs: 150, seed: 3, hidden: [16], backend: 'cpu' }));
});
afterAll(async () => {
  await model?.dispose();
});

/** Agreement of an anchor with the model on the data rows it covers (where its samples come from). */
async function coveredPrecision(rs: RuleSet): Promise<number> {
  const pred = predictLabels(rs, iris.rows);
  const labels = await model.predictLabels(iris.rows);
  let covered = 0;
  let agree = 0;
  pred.forEach((p, k) => {
    if (Number.isNaN(p)) return;
    covered++;
    if (p === labels[k]) agree++;
  });
  return agree / covered;
}

/** Precision of an anchor on fresh rows of the independent sampler. */
async function freshPrecision(rs: RuleSet, row: (number | string | null)[], n: number): Promise<number> {
  if (rs.surrogate.kind !== 'list') throw new Error('expected a list');
  const at = anchorTabular(iris, row);
  const anchor = rs.surrogate.rules[0].conditions.map((c) => at.predicates.findIndex((p) => JSON.stringify(p.condition) === JSON.stringify(c)));
  const [label] = await model.predictLabels([row]);
  const labels = await model.predictLabels(at.draw(anchor, n, createRng(2024)));
  return labels.filter((l) => l === label).length / n;
}

describe('local explanations of an MLP trained on iris', () => {
  it('anchors reach the precision threshold on the data rows they cover, and independent ones on fresh draws', async () => {
    let confident = 0;
    for (const i of [10, 30, 70, 110, 130]) {
      const rs = await explainAnchors(model, iris, iris.rows[i], { seed: 7, rowId: i });
      if (rs.provenance.options.confident !== true) continue;
      confident++;
      expect(await coveredPrecision(rs)).toBeGreaterThanOrEqual(0.95);
    }
    expect(confident).toBeGreaterThanOrEqual(3);
    confident = 0;
    for (const i of [10, 110, 130]) {
      const rs = await explainAnchors(model, iris, iris.rows[i], { seed: 7, rowId: i, sampler: 'independent' });
      if (rs.provenance.options.confident !== true) continue;
      confident++;
      expect(await freshPrecision(rs, iris.rows[i], 3000)).toBeGreaterThanOrEqual(0.95);
    }
    expect(confident).toBeGreaterThanOrEqual(2);
  });

  it('LIME names petal measurements first for a virginica row', async () => {
    const file = await explainLime(model, iris, [iris.rows[120]], { seed: 1, numFeatures: 4 });
    const e = file.explanations[0];
    expect(e.class).toBe('virginica');
    expect(['petal_length', 'petal_width']).toContain(e.conditions![0].feature);
    expect(e.conditions![0].weight).toBeGreaterThan(0);
    expect(file.provenance.model?.type).toBe('tfjs-layers');
  });

  it('explains a network with one-hot inputs in terms of the original columns (penguins)', async () => {
    const penguins = await loadDataset('builtin:penguins');
    const trained = await trainedModel('builtin:penguins', { epochs: 40, seed: 2, hidden: [8], backend: 'cpu' });
    try {
      const names = penguins.schema.features.map((f) => f.name);
      const withMissing = penguins.rows.findIndex((r) => r.some((v) => v === null));
      const rows = [0, 200, withMissing].filter((i) => i >= 0);
      const file = await explainLime(trained.model, penguins, rows.map((i) => penguins.rows[i]), { seed: 3, samples: 1000, rowIds: rows });
      for (const e of file.explanations) {
        expect(e.conditions!).toHaveLength(names.length); // 10 asked, one per original column at most
        for (const f of e.conditions!) {
          expect(names).toContain(f.feature);
          const type = penguins.schema.features.find((x) => x.name === f.feature)!.type;
          if (type === 'categorical') expect(f.condition?.type).toBe('eq');
          else expect(['le', 'gt', 'interval']).toContain(f.condition?.type);
        }
      }
      if (withMissing >= 0) expect(file.explanations[2].missing.length).toBeGreaterThan(0);
    } finally {
      await trained.model.dispose();
    }
  });
});
