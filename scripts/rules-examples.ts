/**
 * `npm run rules:examples`: trains small seeded networks on built-in data sets and writes the rules
 * `cart` and `trepan` extract from them to `rules/examples/NAME.json`, plus an index
 * (`rules/examples/README.md`). Every run writes the same bytes: seeds are fixed and
 * SOURCE_DATE_EPOCH pins `createdAt`.
 *
 * Run one example with `npm run rules:examples -- iris-cart`.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadDataset } from '../src/data/index.js';
import type { Dataset } from '../src/data/types.js';
import { extractRules } from '../src/global/registry.js';
import { trainMlp, type TrainOptions } from '../src/model/index.js';
import type { TabularModel } from '../src/model/types.js';
import { countRules } from '../src/rules/countRules.js';
import { exportRuleSet } from '../src/rules/io.js';
import { writeFileAtomic } from '../src/util/io.js';

/** 2026-01-01T00:00:00Z: the `createdAt` of every example. */
export const EXAMPLES_EPOCH = '1767225600';

export const EXAMPLES_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'rules', 'examples');

/** One example: a data set, how its network is trained, and the extraction. */
export interface RuleExample {
  name: string;
  data: string;
  train: TrainOptions;
  method: 'cart' | 'trepan';
  options: Record<string, unknown>;
  description: string;
}

const IRIS: TrainOptions = { hidden: [8], epochs: 60, seed: 1 };
const MONK: TrainOptions = { hidden: [16], epochs: 60, seed: 1, validationSplit: 0 };
const XOR: TrainOptions = { hidden: [16], epochs: 60, seed: 1 };
const PENGUINS: TrainOptions = { hidden: [8], epochs: 60, seed: 1 };

export const EXAMPLES: RuleExample[] = [
  { name: 'iris-cart', data: 'builtin:iris', train: IRIS, method: 'cart', options: { maxLeaves: 5 }, description: 'iris species, CART tree of at most 5 leaves' },
  { name: 'iris-trepan', data: 'builtin:iris', train: IRIS, method: 'trepan', options: { maxNodes: 4 }, description: 'iris species, TREPAN with at most 4 splits' },
  { name: 'monk1-cart', data: 'builtin:monk1', train: MONK, method: 'cart', options: {}, description: 'MONK-1 (head_shape = body_shape or jacket_color = 1), CART' },
  { name: 'monk1-trepan', data: 'builtin:monk1', train: MONK, method: 'trepan', options: {}, description: 'MONK-1, TREPAN' },
  {
    name: 'monk2-cart',
    data: 'builtin:monk2',
    train: MONK,
    method: 'cart',
    options: { maxLeaves: 100, maxDepth: 12, raiseTolerance: 0 },
    description: 'MONK-2 (exactly two attributes = 1): CART needs a large tree',
  },
  { name: 'monk2-trepan', data: 'builtin:monk2', train: MONK, method: 'trepan', options: {}, description: 'MONK-2: TREPAN states it with two M-of-N tests' },
  { name: 'xor-cart', data: 'builtin:xor', train: XOR, method: 'cart', options: {}, description: 'XOR of round(x0) and round(x1) with 8 distractors, CART' },
  { name: 'xor-trepan', data: 'builtin:xor', train: XOR, method: 'trepan', options: {}, description: 'XOR, TREPAN (1-of-2 tests)' },
  {
    name: 'penguins-cart',
    data: 'builtin:penguins',
    train: PENGUINS,
    method: 'cart',
    options: { maxLeaves: 8, samples: 2000 },
    description: 'penguin species (categorical island and sex, missing values), CART',
  },
  { name: 'penguins-trepan', data: 'builtin:penguins', train: PENGUINS, method: 'trepan', options: { maxNodes: 5 }, description: 'penguin species, TREPAN' },
];

/**
 * Trains the example's network and extracts its rules; resolves to the rule set file text.
 * `cache` shares trained networks between examples with the same data and training options.
 */
export async function buildExample(ex: RuleExample, cache = new Map<string, Promise<{ data: Dataset; model: TabularModel }>>()): Promise<string> {
  process.env.SOURCE_DATE_EPOCH = EXAMPLES_EPOCH;
  const key = `${ex.data} ${JSON.stringify(ex.train)}`;
  let entry = cache.get(key);
  if (!entry) {
    entry = (async () => {
      const data = await loadDataset(ex.data);
      const { model } = await trainMlp(data, ex.train);
      return { data, model };
    })();
    cache.set(key, entry);
  }
  const { data, model } = await entry;
  const rs = await extractRules(ex.method, { model, data, seed: 42 }, ex.options);
  return exportRuleSet(rs);
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const unknown = only.filter((n) => !EXAMPLES.some((e) => e.name === n));
  if (unknown.length) throw new Error(`unknown example(s) ${unknown.join(', ')}; examples: ${EXAMPLES.map((e) => e.name).join(', ')}`);
  const cache = new Map<string, Promise<{ data: Dataset; model: TabularModel }>>();
  const rows: string[] = [];
  for (const ex of EXAMPLES) {
    if (only.length && !only.includes(ex.name)) continue;
    const text = await buildExample(ex, cache);
    await writeFileAtomic(join(EXAMPLES_DIR, `${ex.name}.json`), text);
    const rs = JSON.parse(text) as import('../src/rules/schema.js').RuleSet;
    const c = countRules(rs);
    const fid = rs.fidelity ? rs.fidelity.value.toFixed(3) : 'n/a';
    rows.push(`| [${ex.name}.json](${ex.name}.json) | ${ex.description} | ${ex.method} | ${c.rules} | ${c.conditions} | ${fid} |`);
    process.stderr.write(`rules:examples: ${ex.name}: ${c.rules} rules, held-out fidelity ${fid}\n`);
  }
  for (const e of cache.values()) await (await e).model.dispose();
  if (!only.length) {
    const readme = [
      '# Example rule sets',
      '',
      'Written by `npm run rules:examples` (scripts/rules-examples.ts): a small MLP is trained with a fixed seed on each',
      'built-in data set, then `distill extract` (seed 42) distils it. Fidelity is agreement with the network on the 20 %',
      'of the rows held out from extraction. Regenerating writes the same bytes.',
      '',
      '| file | what | method | rules | conditions | held-out fidelity |',
      '| --- | --- | --- | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n');
    await writeFileAtomic(join(EXAMPLES_DIR, 'README.md'), readme);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
