/**
 * Rules and metrics benchmark: how fast rule sets apply, round-trip through JSON, simplify, and
 * how long a bootstrap fidelity interval takes, on seeded random rules and rows.
 */
import { performance } from 'node:perf_hooks';
import { fidelity } from '../src/metrics/fidelity.js';
import { computeRuleStats } from '../src/rules/computeRuleStats.js';
import { predictLabels } from '../src/rules/evaluate.js';
import { exportRuleSet, importRuleSet } from '../src/rules/io.js';
import type { ConditionT, RuleSet, RuleT } from '../src/rules/schema.js';
import { simplifyRuleSet } from '../src/global/simplify/simplifyRuleSet.js';
import type { Row } from '../src/data/types.js';
import { createRng, type Rng } from '../src/util/rng.js';

const NUM = 10;
const CATS = ['a', 'b', 'c', 'd'];

function randomRuleSet(rng: Rng, nRules: number, kind: 'list' | 'set'): RuleSet {
  const features = [
    ...Array.from({ length: NUM }, (_, i) => ({ name: `x${i}`, type: 'numeric' as const })),
    { name: 'g', type: 'categorical' as const, categories: CATS },
  ];
  const cond = (): ConditionT =>
    rng.uniform() < 0.85
      ? { type: rng.uniform() < 0.5 ? 'le' : 'gt', feature: `x${rng.int(NUM)}`, threshold: Math.round(rng.normal() * 100) / 100 }
      : { type: 'in', feature: 'g', values: CATS.filter(() => rng.uniform() < 0.5).concat('a').filter((v, i, a) => a.indexOf(v) === i) };
  const rules: RuleT[] = Array.from({ length: nRules }, () => ({
    conditions: Array.from({ length: 1 + rng.int(4) }, cond),
    output: { class: `k${rng.int(3)}` },
  }));
  const surrogate = kind === 'list' ? { kind, rules, default: { class: 'k0' } } : { kind, rules, default: { class: 'k0' }, resolution: 'confidence' as const };
  return {
    format: 'surrogate-distill/rules',
    version: 1,
    task: 'classification',
    schema: { features, target: { name: 'y', kind: 'class', classes: ['k0', 'k1', 'k2'] } },
    surrogate,
    provenance: { tool: 'bench', method: 'random', options: {}, seed: 1, samples: null, data: null, model: null, createdAt: '2026-01-01T00:00:00.000Z' },
    fidelity: null,
  };
}

function randomRows(rng: Rng, n: number): Row[] {
  return Array.from({ length: n }, () => [...Array.from({ length: NUM }, () => (rng.uniform() < 0.02 ? null : rng.normal())), CATS[rng.int(CATS.length)]]);
}

function time<T>(f: () => T): [T, number] {
  const t = performance.now();
  const v = f();
  return [v, performance.now() - t];
}

export async function run(): Promise<string> {
  const rng = createRng(7);
  const rows = randomRows(rng, 100_000);
  const lines = ['## Rules and metrics', '', 'Seeded random rules over 10 numeric and 1 categorical feature (2 % missing cells).', '', '| what | size | time | rate |', '|---|---|---|---|'];
  for (const kind of ['list', 'set'] as const) {
    const rs = computeRuleStats(randomRuleSet(rng, 50, kind), rows.slice(0, 5000), new Float64Array(5000).map(() => rng.int(3)));
    const [pred, ms] = time(() => predictLabels(rs, rows));
    lines.push(`| apply a ${kind} of 50 rules | 100,000 rows | ${ms.toFixed(0)} ms | ${((rows.length / ms) * 1000).toFixed(0)} rows/s |`);
    if (kind === 'list') {
      const [text, msOut] = time(() => exportRuleSet(rs));
      const [, msIn] = time(() => importRuleSet(text, 'bench.json'));
      lines.push(`| export + import (validated) | ${(text.length / 1024).toFixed(0)} KiB | ${(msOut + msIn).toFixed(1)} ms | |`);
      const model = Float64Array.from(pred, (p, i) => (i % 10 === 0 ? (p + 1) % 3 : p));
      const [, msF] = time(() => fidelity(pred, model, { task: 'classification', bootstrap: 1000, seed: 1 }));
      lines.push(`| fidelity with 1000 bootstrap resamples | 100,000 rows | ${msF.toFixed(0)} ms | |`);
      const sample = rows.slice(0, 10_000);
      const labels = predictLabels(rs, sample);
      const [res, msS] = time(() => simplifyRuleSet(rs, sample, labels));
      lines.push(
        `| simplify (exact) | 10,000 rows, ${res.before.rules} rules / ${res.before.conditions} conditions -> ${res.after.rules} / ${res.after.conditions} | ${msS.toFixed(0)} ms | |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}
