/**
 * `distill demo` end to end, as the quick start runs it: train on iris, extract cart and trepan
 * rules, explain three rows, write model, rules, explanations and report.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importExplanations } from '../../src/local/index.js';
import { importRuleSet } from '../../src/rules/index.js';
import type { DemoSummary } from '../../src/cli/commands/demo.js';
import { runCli, type CliResult } from '../helpers/cli.js';

let dir: string;
let run: CliResult;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'distill-demo-'));
  run = await runCli(['demo', '--out', join(dir, 'out'), '--format', 'json']);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('distill demo', () => {
  it('exits 0 and prints a JSON summary on stdout (progress notes go to stderr)', () => {
    expect(run.stderr).toContain('demo: training a network');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as DemoSummary;
    expect(summary.data).toBe('builtin:iris');
    expect(summary.seed).toBe(42);
    expect(summary.train.rows).toBe(120);
    expect(summary.test.rows).toBe(30);
    expect(summary.ruleSets.map((r) => r.method)).toEqual(['cart', 'trepan']);
    for (const r of summary.ruleSets) {
      // Iris is easy: small surrogates agree with the network on most held-out rows.
      expect(r.fidelity).toBeGreaterThanOrEqual(0.8);
      expect(r.fidelity).toBeLessThanOrEqual(1);
      expect(r.ci95![0]).toBeLessThanOrEqual(r.fidelity);
      expect(r.rules).toBeGreaterThan(1);
    }
    expect(summary.explained).toHaveLength(3);
    expect(new Set(summary.explained.map((e) => e.predicted)).size).toBe(3);
  });

  it('writes the model, valid rule and explanation files, and the report', async () => {
    const out = join(dir, 'out');
    for (const f of ['model/model.json', 'model/encoder.json', 'rules-cart.json', 'rules-trepan.json', 'explanations.json', 'report.html']) {
      expect(existsSync(join(out, f)), f).toBe(true);
    }
    const cart = importRuleSet(await readFile(join(out, 'rules-cart.json'), 'utf8'), 'rules-cart.json');
    expect(cart.provenance.method).toBe('cart');
    expect(cart.provenance.seed).toBe(42);
    expect(cart.surrogate.kind).toBe('tree');
    const trepan = importRuleSet(await readFile(join(out, 'rules-trepan.json'), 'utf8'), 'rules-trepan.json');
    expect(trepan.provenance.method).toBe('trepan');
    const local = importExplanations(await readFile(join(out, 'explanations.json'), 'utf8'), 'explanations.json');
    // Three rows, each explained by LIME, Anchors and SHAP; the anchors also as rule files.
    expect(local.explanations.map((e) => e.method)).toEqual(['lime', 'anchors', 'shap', 'lime', 'anchors', 'shap', 'lime', 'anchors', 'shap']);
    for (const e of local.explanations.filter((x) => x.method === 'shap')) {
      expect(e.exact).toBe(true);
      expect(Math.abs(e.attributions.reduce((s, a) => s + a.attribution, 0) - (e.prediction - e.base!))).toBeLessThan(1e-6);
    }
    for (const e of local.explanations.filter((x) => x.rule)) expect(existsSync(join(out, `anchors-row-${e.row}.json`))).toBe(true);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const id of ['summary', 'model-data', 'rules', 'local']) expect(html).toContain(`<section id="${id}">`);
    // Fidelity chart, two tree diagrams, three LIME and three SHAP charts, and for LIME and SHAP
    // across the rows a bar chart and a strip plot each.
    expect(html.match(/<svg /g)?.length).toBe(13);
    expect(html).toContain('<h3>shap across 3 rows</h3>');
    expect(html).toContain('<h4>anchors</h4>');
    expect(html).not.toMatch(/<script/i);
  });

  it('makes a report that displays in Chromium without errors or requests', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => requests.push(r.url()));
      const url = pathToFileURL(join(dir, 'out', 'report.html')).href;
      await page.goto(url);
      expect(await page.locator('svg').count()).toBe(13);
      expect(await page.locator('table.scores tbody tr').count()).toBe(2);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
    } finally {
      await browser.close();
    }
  });

  it('rejects an unknown dataset with exit 2, naming the flag, and writes nothing', async () => {
    const r = await runCli(['demo', '--dataset', 'nope', '--out', join(dir, 'bad')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^distill: --dataset: no built-in dataset "nope"; choose one of .*iris/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
