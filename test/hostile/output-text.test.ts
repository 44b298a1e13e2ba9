/**
 * Output safe to read: names from files (columns, classes, provenance) reach the terminal with
 * control characters shown escaped (`\x1b`), and CSV outputs open in a spreadsheet without
 * running a formula taken from the data (a leading `'`, numbers untouched).
 */
import { writeFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { csvCell } from '../../src/cli/csv.js';
import { escapeControls } from '../../src/util/text.js';
import { runCli } from '../helpers/cli.js';
import { expectNoRawControls, hostileRules, useHostileFiles } from './data-fixtures.js';

const files = useHostileFiles();
// Each case runs the CLI; on a loaded machine a run can take far longer than the default timeout.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

/** How the hostile names print. */
const A = 'a\\x1b[2J';
const X = 'x\\x1b]0;pwned\\x07';
const F = "'=cmd|' /C calc'!A0";

describe('names printed to the terminal', () => {
  it('escapeControls shows controls, separators and bidirectional overrides escaped, any script as it is', () => {
    expect(escapeControls('a\u001b]0;t\u0007b\u009bc')).toBe('a\\x1b]0;t\\x07b\\x9bc');
    expect(escapeControls('l\u2028p\u2029r\u202eo')).toBe('l\\u2028p\\u2029r\\u202eo');
    expect(escapeControls('naïve 名前 🙂')).toBe('naïve 名前 🙂');
  });

  it('datasets, rules show, rules validate, score, explain and predict notes', async () => {
    const { csv, rules, model, encoder } = files();
    const [datasets, show, validate, score, explain] = await Promise.all([
      runCli(['datasets', csv]),
      runCli(['rules', 'show', rules]),
      runCli(['rules', 'validate', rules]),
      runCli(['score', '--rules', rules, '--model', model, '--encoder', encoder, '--data', csv]),
      runCli(['explain', '--model', model, '--encoder', encoder, '--data', csv, '--row', '1', '--method', 'saliency']),
    ]);
    for (const r of [datasets, show, validate, score, explain]) {
      expect(r.code).toBe(0);
      expectNoRawControls(r.stdout);
      expectNoRawControls(r.stderr);
    }
    expect(datasets.stdout.split('\n')[3]).toBe(`${A}  feature  numeric        0  0 .. 3`);
    expect(show.stdout).toBe(
      [
        'Decision list (the first rule that holds decides):',
        `IF "${A}" <= 1.5 THEN "=cmd|' /C calc'!A0"`,
        `ELSE "${X}"`,
        `Made by hand\\x1b]0;pwned\\x07 (seed 42); data data\\x1b[2J.csv; surrogate-distill@0.1.0, 2026-01-01T00:00:00.000Z`,
        '',
      ].join('\n'),
    );
    expect(validate.stdout).toBe(`${rules}: valid (decision list, 1 rules, 1 conditions, 1 features, classification, by hand\\x1b]0;pwned\\x07)\n`);
    expect(score.stdout).toContain(`\n  ${X}        5  0.400  0.333\n`);
    expect(explain.stdout).toContain(`\n  ${A} = 1      +0.0344`);
  });
});

describe('CSV outputs opened in a spreadsheet', () => {
  it('csvCell: formula-leading text gets a leading quote, numbers and number text stay as they are', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-x')).toBe("'-x");
    expect(csvCell('\t=1')).toBe("'\\t=1");
    expect(csvCell('-2')).toBe('-2');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('=a,b')).toBe(`"'=a,b"`);
  });

  it('predict and apply write formula class names quoted, control characters escaped, probabilities untouched', async () => {
    const { csv, rules, model, encoder } = files();
    const [predict, apply] = await Promise.all([
      runCli(['predict', '--model', model, '--encoder', encoder, '--data', csv, '--quiet']),
      runCli(['apply', '--rules', rules, '--data', csv]),
    ]);
    expect(predict.code).toBe(0);
    const p = predict.stdout.split('\n');
    expect(p[0]).toBe(`${F},${X},predicted`);
    expect(p[1]).toBe(`0.4255575,0.5744425,${X}`);
    expect(p[2]).toBe(`0.9118605,0.08813946,${F}`);
    expect(apply.code).toBe(0);
    const a = apply.stdout.split('\n');
    expect(a[1]).toBe(`1,${F},0,"IF ""${A}"" <= 1.5 THEN ""=cmd|' /C calc'!A0"""`);
    expect(a[3]).toBe(`3,${X},default,"ELSE ""${X}"""`);
  });

  it('a regression rule set keeps negative predictions as numbers', async () => {
    const rs = hostileRules();
    const reg = {
      ...rs,
      task: 'regression',
      schema: { ...rs.schema, target: { name: 'y', kind: 'regression' } },
      surrogate: { kind: 'list', rules: [{ conditions: [{ type: 'le', feature: 'b', threshold: 1.5 }], output: { value: -1.5 } }], default: { value: 2 } },
    };
    const f = files().at('regression.json');
    await writeFile(f, JSON.stringify(reg));
    const r = await runCli(['apply', '--rules', f, '--data', files().csv]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').slice(0, 3)).toEqual(['row,prediction,rule,rule_text', '1,-1.5,0,IF b <= 1.5 THEN -1.5', '2,2,default,ELSE 2']);
  });
});
