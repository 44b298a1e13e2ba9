/**
 * Decompositional extractors (mofn, cred, deepred) against the pedagogical CART on small trained
 * networks: held-out fidelity, fidelity on all rows, rule count and extraction time.
 */
import { loadDataset } from '../src/data/index.js';
import { extractRules } from '../src/global/index.js';
import { trainMlp, type TrainOptions } from '../src/model/index.js';
import { countRules } from '../src/rules/index.js';
import { predictLabels } from '../src/rules/evaluate.js';

interface Case {
  data: string;
  train: TrainOptions;
  methods: string[];
}

const cases: Case[] = [
  ...['monk1', 'monk2', 'monk3'].map((m) => ({
    data: `builtin:${m}`,
    train: { hidden: [3], activation: 'sigmoid' as const, epochs: 100, learningRate: 0.05, validationSplit: 0, seed: 1 },
    methods: ['mofn', 'cred', 'cart'],
  })),
  { data: 'builtin:iris', train: { hidden: [8], seed: 1 }, methods: ['cred', 'cart'] },
  { data: 'builtin:iris', train: { hidden: [8, 4], seed: 1 }, methods: ['deepred', 'cart'] },
  { data: 'builtin:xor?n=1000', train: { hidden: [8, 4], seed: 1 }, methods: ['deepred', 'cart'] },
];

/** Runs every case and returns a Markdown section. */
export async function run(): Promise<string> {
  const lines = [
    '## Decompositional rule extraction (mofn, cred, deepred)',
    '',
    'Small MLPs trained by `trainMlp`; extraction seed 1, default options; fidelity = agreement with the network.',
    '',
    '| data | network | method | held-out fidelity | fidelity (all rows) | rules | conditions | time (ms) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of cases) {
    const ds = await loadDataset(c.data);
    const { model } = await trainMlp(ds, c.train);
    const labels = await model.predictLabels(ds.rows);
    for (const method of c.methods) {
      const t0 = performance.now();
      const rs = await extractRules(method, { model, data: ds, seed: 1 });
      const ms = performance.now() - t0;
      const all = [...predictLabels(rs, ds.rows)].filter((y, i) => y === labels[i]).length / ds.rows.length;
      const k = countRules(rs);
      const net = `${c.train.activation ?? 'relu'} ${c.train.hidden!.join('-')}`;
      lines.push(`| ${c.data} | ${net} | ${method} | ${rs.fidelity!.value.toFixed(3)} | ${all.toFixed(3)} | ${k.rules} | ${k.conditions} | ${ms.toFixed(0)} |`);
    }
  }
  return lines.join('\n') + '\n';
}
