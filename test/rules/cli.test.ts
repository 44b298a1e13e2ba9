/**
 * CLI tests of `distill apply` and `distill rules show|validate` with hand-written rule files and
 * the builtin iris data (no model needed).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignRows, exportRuleSet, loadDataset, predictLabels, type Dataset, type RuleSet } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { irisList, irisTree, penguinSchema, ruleSetOf } from './fixtures.js';

let dir: string;
let iris: Dataset;
let csv: string;
const file = (name: string, rs: RuleSet | string) => {
  const p = join(dir, name);
  writeFileSync(p, typeof rs === 'string' ? rs : exportRuleSet(rs));
  return p;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'distill-rules-'));
  iris = await loadDataset('builtin:iris');
  // A raw CSV with the columns in another order, a missing cell, and the label last.
  const names = ['petal_width', 'sepal_length', 'petal_length', 'sepal_width'];
  const idx = names.map((n) => iris.schema.features.findIndex((f) => f.name === n));
  const lines = [[...names, 'species'].join(',')];
  iris.rows.forEach((r, i) => lines.push([...idx.map((j) => (i === 7 && j === 2 ? '' : String(r[j]))), String(iris.target![i])].join(',')));
  csv = join(dir, 'iris.csv');
  writeFileSync(csv, lines.join('\n') + '\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('distill apply', () => {
  it('predicts from the rules alone, exactly as the in-memory rule set, with the rule that fired', async () => {
    const [list, tree] = await Promise.all([
      runCli(['apply', '--rules', file('list.json', irisList), '--data', csv, '--format', 'json']),
      runCli(['apply', '--rules', file('tree.json', irisTree), '--data', csv]),
    ]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);
    const ds = await loadDataset(csv, { noTarget: true });
    const rows = alignRows(ds, irisList.schema.features);
    const expected = Array.from(predictLabels(irisList, rows), (k) => irisList.schema.target.kind === 'class' && irisList.schema.target.classes[k]);
    const records = JSON.parse(list.stdout) as { row: number; prediction: string; rule: number | null; ruleText: string }[];
    expect(records.map((r) => r.prediction)).toEqual(expected);
    expect(records[0]).toEqual({ row: 1, prediction: 'setosa', rule: 0, ruleText: 'IF petal_length <= 2.45 THEN setosa' });
    // row 8 has no petal_length: neither rule can fire, the default decides
    expect(records[7]).toEqual({ row: 8, prediction: 'versicolor', rule: null, ruleText: 'ELSE versicolor' });

    expect(tree.code).toBe(0);
    const lines = tree.stdout.trim().split('\n');
    expect(lines[0]).toBe('row,prediction,rule,rule_text');
    expect(lines[1]).toBe('1,setosa,y,IF petal_length <= 2.45 THEN setosa');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(expected);
  }, 120_000);

  it('a condition on a column the data lacks: exit 2 naming it and the JSON path', async () => {
    const noWidth = join(dir, 'nowidth.csv');
    writeFileSync(noWidth, 'sepal_length,petal_length\n5.1,1.4\n');
    const r = await runCli(['apply', '--rules', file('list2.json', irisList), '--data', noWidth]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('at $.surrogate.rules[1].conditions[0]: the rules test feature "petal_width", which the data lacks');
  }, 120_000);
});

describe('distill rules', () => {
  it('show prints the rules; validate says valid', async () => {
    const p = file('show.json', irisList);
    const [show, valid] = await Promise.all([runCli(['rules', 'show', p]), runCli(['rules', 'validate', p])]);
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(
      'Decision list (the first rule that holds decides):\nIF petal_length <= 2.45 THEN setosa\nIF petal_width > 1.75 AND petal_length > 4.85 THEN virginica\nELSE versicolor\n' +
        'Made by hand (seed 42); data builtin:iris; surrogate-distill@0.1.0, 2026-01-01T00:00:00.000Z\n',
    );
    expect(valid.code).toBe(0);
    expect(valid.stdout).toBe(`${p}: valid (decision list, 2 rules, 3 conditions, 2 features, classification, by hand)\n`);
  }, 120_000);

  it('damaged files: one line with the JSON path, the line and column, or the supported versions; exit 2', async () => {
    const text = exportRuleSet(irisList);
    const truncated = file('trunc.json', text.slice(0, 120));
    const badVersion = file('v9.json', text.replace('"version": 1', '"version": 9'));
    const onCategorical = file(
      'cat.json',
      JSON.stringify(ruleSetOf({ kind: 'list', rules: [{ conditions: [{ type: 'gt', feature: 'island', threshold: 3 }], output: { class: 'Adelie' } }], default: null }, penguinSchema)),
    );
    const cutLines = text.slice(0, 120).split('\n');
    const [a, b, c, d] = await Promise.all([
      runCli(['rules', 'validate', truncated]),
      runCli(['rules', 'show', badVersion]),
      runCli(['apply', '--rules', onCategorical, '--data', csv]),
      runCli(['rules', 'validate', onCategorical]),
    ]);
    expect([a.code, b.code, c.code, d.code]).toEqual([2, 2, 2, 2]);
    expect(a.stderr).toBe(`distill: ${truncated}:${cutLines.length}: column ${cutLines[cutLines.length - 1].length + 1}: invalid JSON: unexpected end of input (is the file truncated?)\n`);
    expect(b.stderr).toBe(`distill: ${badVersion}: at $.version: unsupported version 9; supported: 1\n`);
    expect(c.stderr).toBe(`distill: ${onCategorical}: at $.surrogate.rules[0].conditions[0]: numeric test "gt" on categorical feature "island"\n`);
    expect(d.stderr).toBe(`${onCategorical}: at $.surrogate.rules[0].conditions[0]: numeric test "gt" on categorical feature "island"\n${onCategorical}: 1 problem\n`);
  }, 120_000);
});
