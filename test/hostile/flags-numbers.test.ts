/**
 * Numbers and flags: seeds that are not integers in [0, 2^32), numeric flags out of range, sizes
 * whose memory is predictable and too large, repeated single-valued flags. Each refused before any
 * work with the exact one-line error, exit 2.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FLAG_RANGES } from '../../src/cli/flag-ranges.js';
import { ROOT } from '../helpers/cli.js';
import { useTempDir } from '../model/fixtures.js';
import { expectLine, runEach, runHere } from './sec-helpers.js';

const dir = useTempDir('sd-flags-');
const model = () => join(dir(), 'iris');
const explain = (...flags: string[]) => ['explain', '--model', model(), '--data', 'builtin:iris', '--row', '0', '--method', 'lime', '--quiet', ...flags];

beforeAll(async () => {
  const r = await runHere(['train', '--data', 'builtin:iris', '--out', model(), '--hidden', '3', '--epochs', '2', '--quiet']);
  expect(r.stderr).toBe('');
}, 120_000);

describe('numbers and flags', () => {
  it('each refused with one line, before any work', async () => {
    const seed = 'expected an integer in [0, 2^32), got';
    const cases: [string[], string][] = [
      [['datasets', 'builtin:iris', '--seed', '1.5'], `--seed: ${seed} 1.5`],
      [['datasets', 'builtin:iris', '--seed', '1e20'], `--seed: ${seed} 1e20`],
      [['datasets', 'builtin:iris', '--seed', '4294967338'], `--seed: ${seed} 4294967338`],
      [['datasets', 'builtin:iris', '--seed', '-1'], `--seed: ${seed} -1`],
      [['datasets', 'builtin:iris', '--seed', 'Infinity'], `--seed: ${seed} Infinity`],
      [['datasets', 'builtin:iris', '--seed', ''], '--seed: expected a number, got "" (see distill datasets --help)'],
      [['predict', '--model', model(), '--data', 'builtin:iris', '--timeout', '0'], '--timeout: expected a number in (0, 3600], got 0'],
      [['predict', '--model', model(), '--data', 'builtin:iris', '--batch-size', '0.5'], '--batch-size: expected an integer from 1 to 1048576, got 0.5'],
      [['predict', '--model', model(), '--data', 'builtin:iris', '--retries', '1000'], '--retries: expected an integer from 0 to 10, got 1000'],
      [['train', '--data', 'builtin:iris', '--out', join(dir(), 'never'), '--validation-split', '1'], '--validation-split: expected a number in [0, 1), got 1'],
      [['train', '--data', 'builtin:iris', '--out', join(dir(), 'never'), '--learning-rate', '-0.1'], '--learning-rate: expected a number in (0, 10], got -0.1'],
      [
        ['train', '--data', 'builtin:iris', '--out', join(dir(), 'never'), '--hidden', '100000,100000'],
        '--hidden: a 4-100000-100000-3 network (10000900003 weights, with gradients and optimiser state) would need about 149 GiB of memory, over the 4 GiB limit',
      ],
      [explain('--samples', '1e9'), '--samples: 1000000000 samples × 15 values would need about 111.8 GiB of memory, over the 4 GiB limit'],
      [explain('--labels', '99'), '--labels: expected at most 3 (the model has 3 classes), got 99'],
      [explain('--kernel-width', '-1'), '--kernel-width: expected a number > 0, got -1'],
      [['train', '--data', 'builtin:iris', '--out', join(dir(), 'never'), '--hidden', '4', '--hidden', '8'], '--hidden: given 2 times; give it once (see distill train --help)'],
      [['datasets', 'builtin:iris', '--out', join(dir(), 'a.txt'), '--out', join(dir(), 'b.txt')], '--out: given 2 times; give it once (see distill datasets --help)'],
      [['datasets', 'builtin:iris', '--seed', '1', '--seed=2'], '--seed: given 2 times; give it once (see distill datasets --help)'],
    ];
    const results = await runEach(cases.map(([args]) => args));
    results.forEach((r, i) => expectLine(r, cases[i][1]));
  }, 120_000);

  it('seeds at the ends of the range are taken', async () => {
    const [lo, hi] = await runEach([
      ['datasets', 'builtin:iris', '--seed', '0'],
      ['datasets', 'builtin:iris', '--seed', String(2 ** 32 - 1)],
    ]);
    expect([lo.code, hi.code, lo.stderr, hi.stderr]).toEqual([0, 0, '', '']);
  });

  it('docs/security.md gives the range of every flag checked', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'security.md'), 'utf8');
    for (const flag of Object.keys(FLAG_RANGES)) expect(doc, `--${flag}`).toContain(`\`--${flag}\``);
  });
});
