/**
 * Test fixtures for src/local: a TabularModel around a plain JS function of the raw row, and
 * synthetic training data.
 */
import type { Dataset, Feature, Row } from '../../src/data/types.js';
import type { TabularModel } from '../../src/model/types.js';
import { createRng } from '../../src/util/rng.js';

/** A black box that is exactly `fn` of the raw row (outputs: class probabilities or one value). */
export function functionModel(
  features: Feature[],
  fn: (row: Row) => number[],
  opts: { task: 'classification' | 'regression'; classes?: string[] },
): TabularModel & { calls: number[] } {
  const classes = opts.classes ?? ['0', '1'];
  const outputSize = opts.task === 'classification' ? classes.length : 1;
  const identity = { type: 'function', source: 'test', hash: 'sha256:test' };
  const calls: number[] = [];
  const predictRows = async (rows: Row[]) => {
    calls.push(rows.length);
    const out = new Float32Array(rows.length * outputSize);
    rows.forEach((r, i) => out.set(fn(r), i * outputSize));
    return out;
  };
  return {
    schema: { features, target: opts.task === 'classification' ? { name: 'y', kind: 'class', classes } : { name: 'y', kind: 'regression' } },
    task: opts.task,
    classes: opts.task === 'classification' ? classes : undefined,
    outputSize,
    identity,
    backend: 'js',
    predictRows,
    async predictLabels(rows: Row[]) {
      const out = await predictRows(rows);
      const labels = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        if (outputSize === 1) labels[i] = out[i];
        else {
          let b = 0;
          for (let c = 1; c < outputSize; c++) if (out[i * outputSize + c] > out[i * outputSize + b]) b = c;
          labels[i] = b;
        }
      }
      return labels;
    },
    blackBox: {
      task: opts.task,
      inputSize: features.length,
      outputSize,
      identity,
      backend: 'js',
      async predict() {
        throw new Error('not used');
      },
    },
    calls,
    async dispose() {},
  };
}

/** `n` rows of `d` standard normal numeric features x0..x{d-1}. */
export function gaussianData(n: number, d: number, seed: number): Dataset {
  const rng = createRng(seed);
  const features: Feature[] = Array.from({ length: d }, (_, j) => ({ name: `x${j}`, type: 'numeric' }));
  const rows: Row[] = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
  return { source: 'synthetic', schema: { features }, rows, missing: 0 };
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
