/**
 * `npm run bench -- extract`: `cart` extraction end to end (held-out split, marginal sampling,
 * labelling by the network, tree fit, held-out fidelity) for a network with 10 inputs trained on
 * the 19,020 rows of MAGIC gamma telescope data (../shared/datasets/magic.csv), and TREPAN on the
 * same network for comparison.
 */
import { join } from 'node:path';
import { SHARED, skippedWithoutShared } from './shared-datasets.js';
import { countRules } from '../src/rules/countRules.js';
import { loadDataset } from '../src/data/index.js';
import { extractRules } from '../src/global/registry.js';
import { trainMlp } from '../src/model/index.js';

const HEADING = '## Rule extraction end to end (MAGIC, 19,020 rows × 10 features)';

export async function run(): Promise<string> {
  const skipped = skippedWithoutShared(HEADING);
  if (skipped) return skipped;
  const data = await loadDataset(join(SHARED, 'magic.csv'));
  let t0 = performance.now();
  const trained = await trainMlp(data, { hidden: [32, 16], epochs: 10, batchSize: 256, seed: 1 });
  const trainMs = performance.now() - t0;
  const model = trained.model;
  const lines = [
    HEADING,
    '',
    `Network: trainMlp [32, 16] ReLU, 10 epochs (${(trainMs / 1000).toFixed(1)} s to train, backend ${model.backend}; not part of the times below). ` +
      'Times include the held-out split, sampling from the marginals, labelling every row by the network, fitting and the held-out fidelity.',
    '',
    '| method | options | time | rows labelled | rules | held-out fidelity |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const [method, options] of [
    ['cart', {}],
    ['cart', { samples: 50000 }],
    ['trepan', {}],
  ] as const) {
    t0 = performance.now();
    const rs = await extractRules(method, { model, data, seed: 42 }, options);
    const ms = performance.now() - t0;
    process.stderr.write(`bench extract: ${method} ${JSON.stringify(options)} ${ms.toFixed(0)} ms\n`);
    lines.push(
      `| ${method} | ${JSON.stringify(options)} | ${(ms / 1000).toFixed(2)} s | ${rs.provenance.samples?.toLocaleString('en')} | ${countRules(rs).rules} | ${rs.fidelity?.value.toFixed(3)} |`,
    );
  }
  await model.dispose();
  return lines.join('\n') + '\n';
}
