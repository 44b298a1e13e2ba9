/**
 * CLI tests of the commands that need a model (`distill score`, `distill rules simplify`), with a
 * small network trained on the builtin iris data as `distill train --hidden 4 --epochs 20` trains
 * it (once per run, see helpers/trained.ts), and the hand-off between commands: a rule set written
 * by `rules simplify` and applied by `apply` to a raw CSV.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractRules } from '../../src/global/registry.js';
import { alignRows, exportRuleSet, importRuleSet, loadDataset, loadModel, predictLabels, RULESET_SCHEMA_PATH } from '../../src/index.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { trainedModelDir } from '../helpers/trained.js';
import { irisTree } from '../rules/fixtures.js';

let dir: string;
let model: string;
let csv: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distill-score-'));
  // What `distill train --data builtin:iris --hidden 4 --epochs 20` writes (seed 42, standardised inputs).
  model = await trainedModelDir('builtin:iris', { hidden: [4], epochs: 20, seed: 42, standardize: true });
  const iris = await loadDataset('builtin:iris');
  const names = iris.schema.features.map((f) => f.name);
  csv = join(dir, 'iris.csv');
  writeFileSync(csv, [[...names, 'species'].join(','), ...iris.rows.map((r, i) => [...r, iris.target![i]].join(','))].join('\n') + '\n');
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill rules simplify -> apply -> score', () => {
  it('the simplified file validates, applies exactly as in memory, and scores as it says', async () => {
    const tree = join(dir, 'tree.json');
    const simple = join(dir, 'simple.json');
    writeFileSync(tree, exportRuleSet(irisTree));
    const s = await runCli(['rules', 'simplify', tree, '--model', model, '--data', csv, '--out', simple, '--quiet']);
    expect(s.stderr).toBe('');
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/^Simplified .*tree\.json on 150 rows of .*iris\.csv \(tolerance 0\):\n  before      4 rules      9 conditions  fidelity 0\.\d{4}\n  after       2 rules      3 conditions  fidelity 0\.\d{4}\nWrote /);

    const text = readFileSync(simple, 'utf8');
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, RULESET_SCHEMA_PATH), 'utf8')));
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    const rs = importRuleSet(text, simple);
    expect(rs.simplification?.before.fidelity).toBe(rs.simplification?.after.fidelity);

    const [applied, scored, scoredText] = await Promise.all([
      runCli(['apply', '--rules', simple, '--data', csv, '--format', 'json']),
      runCli(['score', '--model', model, '--rules', simple, '--data', csv, '--format', 'json', '--bootstrap', '200']),
      runCli(['score', '--model', model, '--rules', simple, '--data', 'builtin:iris', '--bootstrap', '0']),
    ]);
    expect(applied.code).toBe(0);
    const rows = alignRows(await loadDataset(csv, { noTarget: true }), rs.schema.features);
    const classes = rs.schema.target.kind === 'class' ? rs.schema.target.classes : [];
    const inMemory = Array.from(predictLabels(rs, rows), (k) => classes[k]);
    expect((JSON.parse(applied.stdout) as { prediction: string }[]).map((r) => r.prediction)).toEqual(inMemory);

    expect(scored.code).toBe(0);
    const score = JSON.parse(scored.stdout);
    expect(score.rows).toBe(150);
    expect(score.fidelity.agreement).toBe(rs.fidelity?.value);
    expect(score.fidelity.agreement).toBe(rs.simplification?.after.fidelity);
    expect(score.fidelity.ci95[0]).toBeLessThanOrEqual(score.fidelity.agreement);
    expect(score.truth.rows).toBe(150);
    const truth = readFileSync(csv, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[4]);
    expect(score.truth.surrogate.accuracy).toBeCloseTo(inMemory.filter((c, i) => c === truth[i]).length / 150, 12);
    expect(score.complexity).toEqual({ rules: 2, conditions: 3, meanConditions: 1.5, maxConditions: 2, features: 2 });

    expect(scoredText.code).toBe(0);
    expect(scoredText.stdout).toContain('Fidelity (agreement with the model): ');
    expect(scoredText.stdout).toContain('Against true labels (150 rows):  model accuracy ');
    expect(scoredText.stdout).toContain('Rules: 2   Conditions: 3 (mean 1.50, max 2 per rule)   Features used: 2');
  }, 240_000);

  it('distill extract writes rules that distill apply reproduces exactly on a raw CSV (and equal the in-memory surrogate)', async () => {
    const path = join(dir, 'cart.json');
    const x = await runCli(['extract', '--model', model, '--data', 'builtin:iris', '--method', 'cart', '--samples', '1000', '--out', path, '--quiet']);
    expect(x.stderr).toBe('');
    expect(x.code).toBe(0);
    const written = importRuleSet(readFileSync(path, 'utf8'), path);
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(join(ROOT, RULESET_SCHEMA_PATH), 'utf8')));
    expect(validate(JSON.parse(readFileSync(path, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);

    // The same extraction in memory (same seed and options) is the surrogate itself.
    const data = await loadDataset('builtin:iris');
    const m = await loadModel(model, { data });
    const rs = await extractRules('cart', { model: m, data, seed: 42 }, { samples: 1000 });
    await m.dispose();
    expect(written.surrogate).toEqual(rs.surrogate);

    const r = await runCli(['apply', '--rules', path, '--data', csv, '--format', 'json']);
    expect(r.code).toBe(0);
    const rows = alignRows(await loadDataset(csv, { noTarget: true }), rs.schema.features);
    const classes = rs.schema.target.kind === 'class' ? rs.schema.target.classes : [];
    expect((JSON.parse(r.stdout) as { prediction: string }[]).map((p) => p.prediction)).toEqual(Array.from(predictLabels(rs, rows), (k) => classes[k]));
  }, 240_000);

  it('score with a rules file whose task the model does not share: exit 2', async () => {
    const reg = join(dir, 'reg.json');
    writeFileSync(
      reg,
      exportRuleSet({
        ...irisTree,
        task: 'regression',
        schema: { ...irisTree.schema, target: { name: 'species', kind: 'regression' } },
        surrogate: { kind: 'list', rules: [], default: { value: 1 } },
      }),
    );
    const r = await runCli(['score', '--model', model, '--rules', reg, '--data', 'builtin:iris']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('distill: --model: the model does classification, the rules regression\n');
  }, 120_000);
});
