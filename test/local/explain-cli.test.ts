import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, loadDataset, trainMlp } from '../../src/index.js';
import { chooseRows } from '../../src/cli/commands/explain.js';
import { runCli } from '../helpers/cli.js';
import { importExplanations } from '../../src/local/index.js';

let dir: string;

beforeAll(async () => {
  await initBackend('cpu');
  const trained = await trainMlp(await loadDataset('builtin:iris'), { epochs: 100, seed: 3, hidden: [16] });
  dir = mkdtempSync(join(tmpdir(), 'distill-explain-'));
  await trained.save(join(dir, 'iris'));
  await trained.model.dispose();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('distill explain', () => {
  it('writes byte-identical JSON for the same seed', async () => {
    const args = ['explain', '--model', join(dir, 'iris'), '--data', 'builtin:iris', '--rows', '100-102', '--samples', '1000', '--format', 'json', '--seed', '9'];
    const [a, b] = await Promise.all([runCli(args), runCli(args)]);
    expect(a.code).toBe(0);
    expect(a.stderr.replace(/npm warn.*\n/g, '')).toBe('explained 3 rows\n');
    expect(b.stdout).toBe(a.stdout);
    const file = JSON.parse(a.stdout);
    expect(file.format).toBe('surrogate-distill/explanation');
    expect(file.explanations.map((e: { row: number }) => e.row)).toEqual([100, 101, 102]);
    // samples: the model rows evaluated, 3 rows × (1000 neighbourhood + 500 fresh fidelity rows)
    expect(file.provenance).toMatchObject({ method: 'lime', seed: 9, samples: 4500, data: 'builtin:iris', createdAt: '2026-01-01T00:00:00.000Z' });
  });

  it('explains with anchors as text', async () => {
    const r = await runCli(['explain', '--model', join(dir, 'iris'), '--data', 'builtin:iris', '--row', '10', '--method', 'anchors', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^row 10: anchors, class setosa: anchor\n {2}IF .*petal_(length|width) .* THEN setosa {2}\[/);
    expect(r.stdout).toMatch(/\n {2}faithfulness: precision 1\.000 \[0\.\d+, 1\.000\] on \d+ samples; coverage 0\.\d+\n$/);
  });

  it('writes Anchors in the versioned explanation envelope', async () => {
    const r = await runCli(['explain', '--model', join(dir, 'iris'), '--data', 'builtin:iris', '--row', '10', '--method', 'anchors', '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    const file = importExplanations(r.stdout, 'stdout');
    expect(file.explanations).toHaveLength(1);
    expect(file.explanations[0]).toMatchObject({ row: 10, method: 'anchors', class: 'setosa', confident: true, rule: { format: 'surrogate-distill/rules' } });
  });

  it('compares methods side by side', async () => {
    const r = await runCli(['explain', '--model', join(dir, 'iris'), '--data', 'builtin:iris', '--rows', '50-52', '--compare', 'lime,anchors', '--samples', '500', '--quiet']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^method +rows +sensitivity-n \(n: mean r\) +deletion area +random order +precision +seconds +top columns$/);
    expect(lines[2]).toMatch(/^lime +3 +1: -?\d\.\d{3}, 2: -?\d\.\d{3} +\d\.\d{3} +\d\.\d{3} +- +\d+\.\d\d +\w+, \w+, \w+$/);
    expect(lines[3]).toMatch(/^anchors +3 +- +- +- +\d\.\d{3} +\d+\.\d\d +-$/);
  });

  it('names the flag at fault in one line', async () => {
    const base = ['explain', '--model', join(dir, 'iris'), '--data', 'builtin:iris', '--row', '3'];
    const cases: [string[], string][] = [
      [['--threshold', '0.9'], 'distill: --threshold: applies to anchors, not to lime\n'],
      [['--class', 'rose'], 'distill: --class: unknown class "rose"; classes: setosa, versicolor, virginica\n'],
      [['--method', 'anchors', '--beam-size', '0'], 'distill: --beam-size: expected an integer >= 1, got 0\n'],
    ];
    const results = await Promise.all(cases.map(([extra]) => runCli([...base, ...extra])));
    results.forEach((r, i) => {
      expect(r.stderr.replace(/npm warn.*\n/g, '')).toBe(cases[i][1]);
      expect(r.code).toBe(2);
    });
  });

  it('reports a missing row choice on one line with exit code 2', async () => {
    const none = await runCli(['explain', '--model', join(dir, 'iris'), '--data', 'builtin:iris']);
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
