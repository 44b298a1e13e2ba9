/**
 * Hostile rule set files: nested beyond the depth limit, larger than the size limit, special
 * files; and names holding U+2028/U+2029 in the report. Each case: the exact one-line error, exit 2.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import { runCli } from '../helpers/cli.js';
import { sampleReportInput } from '../report/sampleInput.js';
import { deepMofNText, deepTree, expectLine, useHostileFiles } from './data-fixtures.js';

const files = useHostileFiles();
// Each case runs the CLI; on a loaded machine a run can take far longer than the default timeout.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

const NESTED = 'nested deeper than 512 levels of arrays and objects (the limit for rule set files)';
const TREE_PATH = '$.surrogate.root.yes.yes.yes.yes.yes.yes…(498 more levels)….yes.yes.yes.yes.yes.condition';
const MOFN_PATH = '$.surrogate.rules[0].conditions[0].conditions[0].conditions…(498 more levels)…[0].conditions[0].conditions[0].conditions';

describe('rule sets nested too deep', () => {
  it('a tree 3000 splits deep: apply, score and rules validate name the JSON path where the limit was passed', async () => {
    const f = files().at('deep-tree.json');
    await writeFile(f, JSON.stringify(deepTree(3000)));
    const { csv, model, encoder } = files();
    const [apply, score, validate] = await Promise.all([
      runCli(['apply', '--rules', f, '--data', csv]),
      runCli(['score', '--rules', f, '--model', model, '--encoder', encoder, '--data', csv]),
      runCli(['rules', 'validate', f]),
    ]);
    expectLine(apply, `${f}: at ${TREE_PATH}: ${NESTED}`);
    expectLine(score, `${f}: at ${TREE_PATH}: ${NESTED}`);
    expect(validate.stderr).toBe(`${f}: at ${TREE_PATH}: ${NESTED}\n${f}: 1 problem\n`);
    expect(validate.code).toBe(2);
  });

  it('M-of-N tests nested 3000 deep', async () => {
    const f = files().at('deep-mofn.json');
    await writeFile(f, deepMofNText(3000));
    expectLine(await runCli(['apply', '--rules', f, '--data', files().csv]), `${f}: at ${MOFN_PATH}: ${NESTED}`);
  });

  it('a tree 500 splits deep is within the limit, and is validated and applied', async () => {
    const f = files().at('tree-500.json');
    await writeFile(f, JSON.stringify(deepTree(500)));
    const [validate, apply] = await Promise.all([runCli(['rules', 'validate', f]), runCli(['apply', '--rules', f, '--data', files().csv])]);
    expect(validate.stdout).toMatch(/: valid \(decision tree, 501 leaves, /);
    expect(apply.code).toBe(0);
    // Row 1 (b = 0) passes every split down to the deepest leaf.
    expect(apply.stdout.split('\n')[1]).toMatch(/^1,x\\x1b\]0;pwned\\x07,y{500},"IF b <= 499 AND b <= 498 AND .* AND b <= 0 THEN ""x\\x1b\]0;pwned\\x07"""$/);
  });
});

describe('rule set files too large or not regular files', () => {
  it('a 100 MB file is refused before reading; the limit can be set', async () => {
    const big = files().at('big.json');
    execFileSync('truncate', ['-s', '100M', big]);
    const { rules, csv, model, encoder, fifo } = files();
    const [validate, small, pipe] = await Promise.all([
      runCli(['rules', 'validate', big]),
      runCli(['score', '--rules', rules, '--model', model, '--encoder', encoder, '--data', csv], { env: { DISTILL_MAX_RULES_BYTES: '100' } }),
      runCli(['rules', 'validate', fifo]),
    ]);
    expectLine(validate, `${big}: 104857600 bytes, over the 64 MiB limit for rule set files (set DISTILL_MAX_RULES_BYTES to read a larger one)`);
    expect(small.stderr).toMatch(new RegExp(`^distill: ${rules.replace(/[.]/g, '\\.')}: \\d+ bytes, over the 100 bytes limit for rule set files \\(set DISTILL_MAX_RULES_BYTES to read a larger one\\)\\n$`));
    expect(small.code).toBe(2);
    expectLine(pipe, `${fifo}: is a named pipe (FIFO), expected a regular file (one of the rule set files)`);
  });
});

describe('names with line and paragraph separators in the report', () => {
  it('a column and a class holding U+2028/U+2029 render, shown escaped, nowhere raw', async () => {
    const input = JSON.parse(JSON.stringify(sampleReportInput()).replaceAll('petal_width', 'petal\\u2028width').replaceAll('setosa', 'set\\u2029osa'));
    const html = await renderReport(input);
    expect(html).not.toMatch(/[\u2028\u2029]/);
    expect(html).toContain('petal\\u2028width');
    expect(html).toContain('set\\u2029osa');
  });
});
