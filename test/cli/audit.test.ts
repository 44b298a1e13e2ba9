/**
 * `distill audit` in-process on models as they were saved: a Keras 3 .keras, a Keras 2 .h5 and an
 * skl2onnx classifier (the fixtures' writers), each through the whole audit into a folder; the
 * same seed gives the same bytes; an existing folder needs --force; `distill report` without rule
 * sets extracts them.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createRng } from '../../src/util/rng.js';
import { forward, NETWORK } from '../model/fixtures.js';
import { keras2SequentialConfig, keras2Weights, keras3Sequential, writeKeras2, writeKeras3 } from '../model/keras-fixtures.js';
import { skl2onnxMlp } from '../model/onnx-fixtures.js';

let dir: string;
let csv: string;

const run = (args: string[]) => runCli(args);

/** Small, fast settings for every audit of this file. */
const FAST = [
  '--extract-options',
  JSON.stringify({ cart: { samples: 300 }, trepan: { minSamples: 100, searchRows: 200 }, mofn: { samples: 200 }, deepred: { samples: 0 } }),
  '--samples', '300',
  '--coverage-samples', '300',
  '--search-samples', '200',
  '--importance-rows', '6',
  '--bootstrap', '40',
  '--faithfulness', '4',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'distill-audit-'));
  // 48 rows labelled by the fixture network itself (so both classes occur).
  const rng = createRng(5);
  const lines = ['a,b,c,label'];
  for (let i = 0; i < 48; i++) {
    const x = [rng.normal() * 2, rng.normal() * 2, rng.normal() * 2].map((v) => Number(v.toFixed(3)));
    const p = forward(NETWORK, x);
    lines.push([...x, p[1] > p[0] ? 'yes' : 'no'].join(','));
  }
  csv = join(dir, 'data.csv');
  await writeFile(csv, lines.join('\n') + '\n');
  const { model, vars } = keras3Sequential();
  await writeKeras3(join(dir, 'model.keras'), model, vars);
  await writeKeras2(join(dir, 'model.h5'), keras2SequentialConfig(), keras2Weights());
  await writeFile(join(dir, 'clf.onnx'), skl2onnxMlp({ zipmap: false }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function folder(path: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(path)).sort()) out[f] = await readFile(join(path, f), 'utf8');
  return out;
}

describe('distill audit', () => {
  it.each([
    ['a Keras 3 .keras file', 'model.keras', 'keras'],
    ['a Keras 2 .h5 file', 'model.h5', 'keras'],
    ['an skl2onnx classifier', 'clf.onnx', 'onnx'],
  ])('audits %s into one folder: report, rule sets, explanations, importance, manifest', async (_name, file, type) => {
    const out = join(dir, `audit-${file}`);
    const r = await run(['audit', '--model', join(dir, file), '--data', csv, '--out', out, '--rows', '1', ...FAST]);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    // One progress line per step.
    expect(r.stderr).toMatch(/^audit \[1\/\d+\] extract cart: ok in [\d.]+ s/m);
    expect(r.stderr).toMatch(/audit \[\d+\/\d+\] explain counterfactual: ok/);
    const files = await folder(out);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['report.html', 'report.json', 'manifest.json', 'rules-cart.json', 'rules-trepan.json', 'explanations-lime.json', 'explanations-anchors.json', 'explanations-counterfactual.json', 'importance.json', 'importance-explanations-shap.json']));
    const manifest = JSON.parse(files['manifest.json']);
    expect(manifest).toMatchObject({ format: 'surrogate-distill/audit', version: 1, seed: 42, model: { type } });
    expect(manifest.model.hash).toBe(`sha256:${createHash('sha256').update(await readFile(join(dir, file))).digest('hex')}`);
    expect(manifest.test).toMatchObject({ split: 'held out', share: 0.25, rows: 12 });
    for (const f of manifest.files) expect(f.hash).toBe(`sha256:${createHash('sha256').update(files[f.path]).digest('hex')}`);
    expect(manifest.files.map((f: { path: string }) => f.path).sort()).toEqual(Object.keys(files).filter((f) => f !== 'manifest.json').sort());
    expect(manifest.steps.every((s: { seconds: unknown }) => s.seconds === null)).toBe(true);
    // Rows chosen: the most confident of each class, the least confident, and --rows 1.
    const reasons = manifest.rows.flatMap((x: { reasons: string[] }) => x.reasons).join('; ');
    expect(reasons).toMatch(/most confident no/);
    expect(reasons).toMatch(/most confident yes/);
    expect(reasons).toMatch(/least confident/);
    expect(manifest.rows.some((x: { row: number; reasons: string[] }) => x.row === 1 && x.reasons.includes('asked for'))).toBe(true);
    const report = JSON.parse(files['report.json']);
    expect(report.ruleSets.length).toBeGreaterThanOrEqual(2);
    for (const rs of report.ruleSets) expect(rs.score.rows).toBe(12);
    const html = files['report.html'];
    expect(html).toContain('Per class: the rule set against the network');
    expect(html).toContain('true label');
    const cf = JSON.parse(files['explanations-counterfactual.json']);
    expect(cf.explanations.length).toBe(manifest.rows.length);
    for (const e of cf.explanations) if (e.counterfactual) expect(e.counterfactual.prediction.flips).toBe(true);
  }, 240_000);

  it('gives the same bytes for the same seed; an existing folder needs --force', async () => {
    const out = join(dir, 'audit-clf.onnx');
    const before = await folder(out);
    const refused = await run(['audit', '--model', join(dir, 'clf.onnx'), '--data', csv, '--out', out, '--rows', '1', ...FAST]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^distill: --out: .* not empty.*; pass --force to replace it\n$/);
    expect(await folder(out)).toEqual(before);
    const again = await run(['audit', '--model', join(dir, 'clf.onnx'), '--data', csv, '--out', out, '--rows', '1', ...FAST, '--force']);
    expect(again.code).toBe(0);
    expect(await folder(out)).toEqual(before);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 240_000);

  it('refuses an output folder holding an input, and a bad flag, with one line and exit 2', async () => {
    const r = await run(['audit', '--model', join(dir, 'clf.onnx'), '--data', csv, '--out', dir, '--force']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^distill: --out: .*--model.*\n$/);
    const bad = await run(['audit', '--model', join(dir, 'clf.onnx'), '--data', csv, '--out', join(dir, 'x'), '--extract-options', '{"nope":{}}']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('distill: --extract-options: unknown extraction method "nope"; methods: cart, trepan, ann-dt, mofn, cred, deepred, tsukimoto\n');
  });
});

describe('distill report without rule sets', () => {
  it('extracts rules with the methods that apply instead of an empty report', async () => {
    const r = await run(['report', '--model', join(dir, 'clf.onnx'), '--data', csv, '--format', 'json', '--bootstrap', '20', '--quiet']);
    expect(r.code).toBe(0);
    const input = JSON.parse(r.stdout);
    expect(input.ruleSets.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['cart', 'trepan']));
  }, 120_000);
});
