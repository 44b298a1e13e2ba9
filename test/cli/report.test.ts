/**
 * `distill report` from the command line: a model and rule set made in-process, then the report
 * written, as JSON, and the errors users meet (bad row, missing rule file) with exit 2 and no file.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRowList } from '../../src/cli/commands/report.js';
import { extractRules } from '../../src/global/registry.js';
import type { ReportInput } from '../../src/report/index.js';
import { exportRuleSet } from '../../src/rules/index.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { trainedModel } from '../helpers/trained.js';

let dir: string;
/** The model folder (trained once per run). */
let modelDir: string;
/** Runs started together once the model exists (the machine has few cores; they overlap). */
let jsonRun: Promise<CliResult>;
let badRowRun: Promise<CliResult>;
let missingRulesRun: Promise<CliResult>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'distill-report-cli-'));
  const trained = await trainedModel('builtin:iris', { seed: 3, epochs: 40, hidden: [8] });
  modelDir = trained.dir;
  const rs = await extractRules('cart', { model: trained.model, data: trained.data, seed: 3 }, { maxLeaves: 4, samples: 500 });
  await writeFile(join(dir, 'cart.json'), exportRuleSet(rs));
  await trained.model.dispose();
  const out = join(dir, 'failed', 'report.html');
  jsonRun = runCli(['report', '--model', modelDir, '--data', 'builtin:iris', '--rules', join(dir, 'cart.json'), '--format', 'json', '--bootstrap', '50']);
  badRowRun = runCli(['report', '--model', modelDir, '--data', 'builtin:iris', '--explain-rows', '150', '--out', out]);
  missingRulesRun = runCli(['report', '--model', modelDir, '--data', 'builtin:iris', '--rules', join(dir, 'nope.json'), '--out', out]);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseRowList', () => {
  it('reads comma-separated 0-based rows, dropping repeats', () => {
    expect(parseRowList('0, 5,5', 10)).toEqual([0, 5]);
  });
  it('names the flag for a bad or out-of-range row', () => {
    expect(() => parseRowList('1,x', 10)).toThrow('--explain-rows: expected comma-separated row numbers (0-based), got "x"');
    expect(() => parseRowList('10', 10)).toThrow('--explain-rows: row 10 is out of range: the data has 10 rows (0 to 9)');
  });
});

describe('distill report', () => {
  it('writes one HTML file with the rule set scored, its tree and two explained rows', async () => {
    const out = join(dir, 'report.html');
    const r = await runCli(['report', '--model', modelDir, '--data', 'builtin:iris', '--rules', join(dir, 'cart.json'), '--explain-rows', '0,100', '--samples', '500', '--out', out, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<td class="name">' + join(dir, 'cart.json') + '</td><td>cart</td><td>decision tree</td>');
    expect(html).toContain('Measured on all 150 rows of builtin:iris.');
    expect(html).toContain('<article class="local" id="row-0">');
    expect(html).toContain('<article class="local" id="row-100">');
    // Fidelity chart, the tree, two LIME charts.
    expect(html.match(/<svg /g)?.length).toBe(4);
    expect(html.match(/<h4>anchors<\/h4>/g)?.length).toBe(2);
  });

  it('--format json prints the report input as JSON on stdout', async () => {
    const r = await jsonRun;
    expect(r.code).toBe(0);
    const input = JSON.parse(r.stdout) as ReportInput;
    expect(input.data).toMatchObject({ source: 'builtin:iris', rows: 150 });
    expect(input.ruleSets).toHaveLength(1);
    expect(input.ruleSets[0].score?.fidelity.metric).toBe('agreement');
    expect(input.ruleSets[0].score?.rows).toBe(150);
    expect(input.seed).toBe(42);
  });

  it('fails with exit 2 and one line naming the flag or file, leaving no output file', async () => {
    const out = join(dir, 'failed', 'report.html');
    const [badRow, missingRules] = await Promise.all([badRowRun, missingRulesRun]);
    expect(badRow.code).toBe(2);
    expect(badRow.stderr).toBe('distill: --explain-rows: row 150 is out of range: the data has 150 rows (0 to 149)\n');
    expect(missingRules.code).toBe(2);
    expect(missingRules.stderr).toBe(`distill: ${join(dir, 'nope.json')}: no such file or folder\n`);
    expect(existsSync(out)).toBe(false);
    expect((await readdir(dir)).includes('failed')).toBe(false);
  });
});
