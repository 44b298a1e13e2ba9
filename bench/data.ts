/**
 * Data benchmark: load times of the shared public files, and the rate of the generative sampler
 * with and without a region (atomic and M-of-N conditions).
 */
import { join } from 'node:path';
import { SHARED, skippedWithoutShared } from './shared-datasets.js';
import { loadDataset } from '../src/data/load.js';
import { fitMarginals, sampleMarginals } from '../src/sampling/marginals.js';
import type { ConditionT } from '../src/rules/schema.js';
import { createRng } from '../src/util/rng.js';

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
}

export async function run(): Promise<string> {
  const skipped = skippedWithoutShared('## Data loading and sampling');
  if (skipped) return skipped;
  const lines = ['## Data loading and sampling', '', '| file | rows | columns | load (ms) |', '| --- | ---: | ---: | ---: |'];
  const files: [string, Parameters<typeof loadDataset>[1]][] = [
    ['adult.csv', {}],
    ['letter.csv', {}],
    ['magic.csv', {}],
    ['mushroom.csv', { targetIndex: 0 }],
    ['wdbc.data', { target: 'Diagnosis' }],
    ['monks-1.test', {}],
  ];
  for (const [f, opts] of files) {
    const t = performance.now();
    const ds = await loadDataset(join(SHARED, f), opts);
    const ms = performance.now() - t;
    lines.push(`| ${f} | ${ds.rows.length} | ${ds.schema.features.length + 1} | ${ms.toFixed(0)} |`);
  }
  const magic = await loadDataset(join(SHARED, 'magic.csv'));
  const [m, fitMs] = time(() => fitMarginals(magic));
  const n = 20000;
  const regions: [string, ConditionT[]][] = [
    ['none', []],
    ['3 atomic conditions', [
      { type: 'gt', feature: 'Length', threshold: 60 },
      { type: 'le', feature: 'Alpha', threshold: 20 },
      { type: 'interval', feature: 'Width', low: 10, high: 30 },
    ]],
    ['2-of-3 (members ~10 % each)', [{
      type: 'mofn', m: 2, conditions: [
        { type: 'gt', feature: 'Length', threshold: 120 },
        { type: 'gt', feature: 'Size', threshold: 3.6 },
        { type: 'le', feature: 'Dist', threshold: 90 },
      ],
    }]],
  ];
  lines.push('', `Generative sampler on magic.csv (19,020 rows, 10 numeric features, kernel centres 10,000; fit ${fitMs.toFixed(0)} ms); ${n} rows each:`, '', '| region | ms | rows/s |', '| --- | ---: | ---: |');
  for (const [name, region] of regions) {
    const [, ms] = time(() => sampleMarginals(m, n, createRng(1), region));
    lines.push(`| ${name} | ${ms.toFixed(0)} | ${Math.round((n / ms) * 1000)} |`);
  }
  return lines.join('\n') + '\n';
}
