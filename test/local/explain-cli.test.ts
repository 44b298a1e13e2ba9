import { beforeAll, describe, expect, it } from 'vitest';
import { chooseRows } from '../../src/cli/commands/explain.js';
import { runCli } from '../helpers/cli.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { importanceJsonSchema, importExplanations, importImportance, renderImportance } from '../../src/local/index.js';
import { trainedModelDir } from '../helpers/trained.js';

/** The model folder: a network trained (once per run) on the cpu backend; the commands run on the default one. */
let model: string;

beforeAll(async () => {
  model = await trainedModelDir('builtin:iris', { epochs: 100, seed: 3, hidden: [16], backend: 'cpu' });
});

describe('distill explain', () => {
  it('writes byte-identical JSON for the same seed', async () => {
    const args = ['explain', '--model', model, '--data', 'builtin:iris', '--rows', '100-102', '--compare', 'lime,shap,occlusion', '--samples', '1000', '--format', 'json', '--seed', '9'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code).toBe(0);
    expect(a.stderr.replace(/npm warn.*\n/g, '')).toBe('explained 3 rows\n');
    expect(b.stdout).toBe(a.stdout);
    const file = importExplanations(a.stdout, 'stdout');
    expect(file.format).toBe('surrogate-distill/explanation');
    expect(file.explanations.map((e) => `${e.row}:${e.method}`)).toEqual(['100:lime', '100:shap', '100:occlusion', '101:lime', '101:shap', '101:occlusion', '102:lime', '102:shap', '102:occlusion']);
    expect(file.provenance).toMatchObject({ method: 'lime,shap,occlusion', seed: 9, data: 'builtin:iris', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(file.provenance.options).toMatchObject({ lime: { samples: 1000 }, shap: { samples: 1000, background: 100 }, occlusion: { replaceWith: 'baseline' } });
    for (const e of file.explanations.filter((x) => x.method === 'shap')) {
      expect(e.exact).toBe(true);
      expect(Math.abs(e.attributions.reduce((s, x) => s + x.attribution, 0) - (e.prediction - e.base!))).toBeLessThan(1e-6);
    }
  });

  it('summarises attributions over rows, the same from explain --summary and importance', async () => {
    const base = ['--model', model, '--data', 'builtin:iris', '--rows', '0-149', '--faithfulness', '0', '--quiet'];
    const [imp, sum] = await Promise.all([
      runCli(['importance', ...base, '--format', 'json', '--bootstrap', '200']),
      runCli(['explain', ...base, '--method', 'shap', '--summary', '--format', 'json', '--bootstrap', '200']),
    ]);
    expect(imp.code).toBe(0);
    expect(sum.stdout).toBe(imp.stdout);
    const file = importImportance(imp.stdout, 'stdout');
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(JSON.parse(importanceJsonSchema()), JSON.parse(imp.stdout)), ajv.errorsText()).toBe(true);
    expect(file.bootstrap).toEqual({ resamples: 200, seed: 42 });
    const [s] = file.summaries;
    expect(s).toMatchObject({ method: 'shap', rows: 150, class: null, classes: { setosa: 50 } });
    expect(Object.values(s.classes!).reduce((a, b) => a + b, 0)).toBe(150);
    for (const f of s.features) {
      expect(f.ci95![0]).toBeLessThanOrEqual(f.meanAbs);
      expect(f.ci95![1]).toBeGreaterThanOrEqual(f.meanAbs);
    }
    expect(renderImportance(file)).toMatch(/^shap: mean \|attribution\| over 150 rows \(each row's explained class: setosa 50, .*\); 95% bootstrap interval of 200 resamples\n {2}column +mean \|attr\| +95% interval +mean\n {2}petal_\w+ +\d\.\d{4} +\[\d\.\d{4}, \d\.\d{4}\] +\+\d\.\d{4} +#{24}\n/);
  });

  it('explains with anchors as text', async () => {
    const r = await runCli(['explain', '--model', model, '--data', 'builtin:iris', '--row', '10', '--method', 'anchors', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^row 10: anchors, class setosa: anchor\n {2}IF .*petal_(length|width) .* THEN setosa {2}\[/);
    expect(r.stdout).toMatch(/\n {2}faithfulness: precision 1\.000 \[0\.\d+, 1\.000\] on \d+ samples; coverage 0\.\d+\n$/);
  });

  it('writes Anchors in the versioned explanation envelope', async () => {
    const r = await runCli(['explain', '--model', model, '--data', 'builtin:iris', '--row', '10', '--method', 'anchors', '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    const file = importExplanations(r.stdout, 'stdout');
    expect(file.explanations).toHaveLength(1);
    expect(file.explanations[0]).toMatchObject({ row: 10, method: 'anchors', class: 'setosa', confident: true, rule: { format: 'surrogate-distill/rules' } });
  });

  it('compares methods side by side', async () => {
    const r = await runCli(['explain', '--model', model, '--data', 'builtin:iris', '--rows', '50-52', '--compare', 'lime,anchors', '--samples', '500', '--quiet']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^method +rows +sensitivity-n \(n: mean r\) +deletion area +random order +precision +seconds +top columns$/);
    expect(lines[2]).toMatch(/^lime +3 +1: -?\d\.\d{3}, 2: -?\d\.\d{3} +\d\.\d{3} +\d\.\d{3} +- +\d+\.\d\d +\w+, \w+, \w+$/);
    expect(lines[3]).toMatch(/^anchors +3 +- +- +- +\d\.\d{3} +\d+\.\d\d +-$/);
  });

  it('names the flag at fault in one line', async () => {
    const base = ['explain', '--model', model, '--data', 'builtin:iris', '--row', '3'];
    const cases: [string[], string][] = [
      [['--threshold', '0.9'], 'distill: --threshold: applies to anchors, not to lime\n'],
      [['--class', 'rose'], 'distill: --class: unknown class "rose"; classes: setosa, versicolor, virginica\n'],
      [['--method', 'anchors', '--beam-size', '0'], 'distill: --beam-size: expected an integer >= 1, got 0\n'],
      [['--method', 'shap', '--samples', '3'], 'distill: --samples: shap needs at least 8 coalitions for 4 columns, got 3\n'],
    ];
    const results = await Promise.all(cases.map(([extra]) => runCli([...base, ...extra])));
    results.forEach((r, i) => {
      expect(r.stderr.replace(/npm warn.*\n/g, '')).toBe(cases[i][1]);
      expect(r.code).toBe(2);
    });
  });

  it('reports a missing row choice on one line with exit code 2', async () => {
    const none = await runCli(['explain', '--model', model, '--data', 'builtin:iris']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('distill: --row: give exactly one of --row N, --rows A-B or --all\n');
  });

  it('chooses rows from --row, --rows and --all', () => {
    expect(chooseRows({ row: 3 }, 10)).toEqual([3]);
    expect(chooseRows({ rows: '2-4' }, 10)).toEqual([2, 3, 4]);
    expect(chooseRows({ all: true }, 3)).toEqual([0, 1, 2]);
    expect(() => chooseRows({ rows: '5-500' }, 150)).toThrow('--rows: expected 0 <= A <= B <= 149, got 5-500');
    expect(() => chooseRows({ rows: 'x' }, 150)).toThrow('--rows: expected a range A-B of 0-based row indices, got "x"');
    expect(() => chooseRows({ row: 150 }, 150)).toThrow('--row: expected a row index from 0 to 149, got 150');
    expect(() => chooseRows({ row: 1, all: true }, 150)).toThrow('--row: give exactly one of --row N, --rows A-B or --all');
  });
});
