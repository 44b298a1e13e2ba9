import { describe, expect, it } from 'vitest';
import {
  columnCondition,
  denseLayerForward,
  exportRuleSet,
  extractRules,
  loadDataset,
  forwardDense,
  mergeConjunction,
  outputClasses,
  type TrainOptions,
  type Feature,
} from '../../../src/index.js';
import { trainedModel } from '../../helpers/trained.js';
import { layer } from './dense-model.js';

describe('forwardDense', () => {
  it('computes every layer by hand-checkable values', () => {
    // x = [1, 2]; h = relu([1·1 + 2·(-1) + 0.5, 1·2 + 2·1 - 1]) = relu([-0.5, 3]) = [0, 3]; out = sigmoid(0·1 + 3·1 - 3) = 0.5
    const net = { layers: [layer([[1, 2], [-1, 1]], [0.5, -1], 'relu'), layer([[1], [1]], [-3], 'sigmoid')] };
    const acts = forwardDense(net, [1, 2], 1);
    expect([...acts[0]]).toEqual([1, 2]);
    expect([...acts[1]]).toEqual([0, 3]);
    expect(acts[2][0]).toBeCloseTo(0.5, 12);
    expect([...outputClasses(net, Float64Array.of(0.4, 0.6), 2)]).toEqual([0, 1]);
  });

  it('applies tanh and softmax per row', () => {
    const out = denseLayerForward(layer([[1, 0], [0, 1]], [0, 0], 'softmax'), [0, Math.log(3), 1, 1], 2);
    expect(out[0]).toBeCloseTo(0.25, 12);
    expect(out[1]).toBeCloseTo(0.75, 12);
    expect(out[2]).toBeCloseTo(0.5, 12);
    expect(denseLayerForward(layer([[2]], [0], 'tanh'), [0.5], 1)[0]).toBeCloseTo(Math.tanh(1), 12);
  });
});

describe('columnCondition', () => {
  it('turns a standardised threshold into raw units', () => {
    const col = { column: 0, feature: 'age', kind: 'numeric' as const, mean: 40, std: 10, standardize: true };
    expect(columnCondition(col, true, 0.5)).toEqual({ type: 'gt', feature: 'age', threshold: 45 });
    expect(columnCondition(col, false, -1.25)).toEqual({ type: 'le', feature: 'age', threshold: 27.5 });
  });

  it('reads a one-hot split as feature = category / feature != category', () => {
    const col = { column: 0, feature: 'island', kind: 'onehot' as const, category: 'Dream' };
    expect(columnCondition(col, true, 0.5)).toEqual({ type: 'eq', feature: 'island', value: 'Dream' });
    expect(columnCondition(col, false, 0.5)).toEqual({ type: 'neq', feature: 'island', value: 'Dream' });
    expect(columnCondition(col, true, 1.2)).toBe(false);
    expect(columnCondition(col, false, -0.1)).toBe(false);
  });
});

describe('mergeConjunction', () => {
  const feats: Feature[] = [
    { name: 'x', type: 'numeric' },
    { name: 'c', type: 'categorical', categories: ['a', 'b', 'c', 'd'] },
  ];

  it('keeps the tightest bounds and makes an interval', () => {
    expect(
      mergeConjunction(
        [
          { type: 'gt', feature: 'x', threshold: 1 },
          { type: 'le', feature: 'x', threshold: 5 },
          { type: 'gt', feature: 'x', threshold: 2 },
        ],
        feats,
      ),
    ).toEqual([{ type: 'interval', feature: 'x', low: 2, high: 5 }]);
  });

  it('merges categorical tests and finds contradictions', () => {
    expect(mergeConjunction([{ type: 'neq', feature: 'c', value: 'a' }, { type: 'neq', feature: 'c', value: 'b' }], feats)).toEqual([
      { type: 'in', feature: 'c', values: ['c', 'd'] },
    ]);
    expect(mergeConjunction([{ type: 'neq', feature: 'c', value: 'a' }, { type: 'eq', feature: 'c', value: 'b' }], feats)).toEqual([
      { type: 'eq', feature: 'c', value: 'b' },
    ]);
    expect(mergeConjunction([{ type: 'eq', feature: 'c', value: 'a' }, { type: 'eq', feature: 'c', value: 'b' }], feats)).toBeNull();
    expect(mergeConjunction([{ type: 'gt', feature: 'x', threshold: 3 }, { type: 'le', feature: 'x', threshold: 3 }], feats)).toBeNull();
  });
});

describe('prepareDecomposition on data held column by column', () => {
  it('never makes the rows of the dataset: the same rule sets as from row arrays (cred, mofn)', async () => {
    const cases: [string, string, TrainOptions][] = [
      ['cred', 'builtin:iris', { hidden: [8], epochs: 120, seed: 1 }],
      ['mofn', 'builtin:monk2', { hidden: [2], activation: 'sigmoid', epochs: 100, learningRate: 0.05, validationSplit: 0, seed: 1 }],
    ];
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      for (const [method, spec, train] of cases) {
        const { model } = await trainedModel(spec, train);
        const rows = await loadDataset(spec);
        const cols = await loadDataset(spec, { columns: true });
        for (const key of ['rows', 'target']) {
          Object.defineProperty(cols, key, {
            get() {
              throw new Error(`${method} made the ${key} of a dataset held column by column`);
            },
          });
        }
        const a = exportRuleSet(await extractRules(method, { model, data: rows, seed: 2 }, { samples: 100 }));
        const b = exportRuleSet(await extractRules(method, { model, data: cols, seed: 2 }, { samples: 100 }));
        expect(b, method).toBe(a);
      }
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });
});
