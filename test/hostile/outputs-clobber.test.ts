/**
 * Outputs that would destroy inputs: an output naming an input (by path, hard link or symbolic
 * link), a device, a folder taken for a file, a file taken for a folder, a non-empty folder without
 * --force, a folder output that would delete an input inside it. Each refused before any work with
 * the exact one-line error, exit 2, and the input left as it was. Folder outputs are written whole.
 */
import { copyFile, link, mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeFolderAtomic } from '../../src/util/files.js';
import { ROOT } from '../helpers/cli.js';
import { useTempDir } from '../model/fixtures.js';
import { expectLine, runEach } from './sec-helpers.js';

const dir = useTempDir('sd-outputs-');
const at = (...p: string[]) => join(dir(), ...p);
const RULES = join(ROOT, 'rules', 'examples', 'iris-cart.json');
const VICTIM = 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.1,5.6,2.4\n';

beforeAll(async () => {
  await writeFile(at('victim.csv'), VICTIM);
  await link(at('victim.csv'), at('hard.csv'));
  await symlink(at('victim.csv'), at('soft.csv'));
  await copyFile(RULES, at('rules.json'));
  await mkdir(at('folder'));
  await mkdir(at('model'));
  await writeFile(at('model', 'model.json'), '{}');
  await mkdir(at('full'));
  await writeFile(at('full', 'a.txt'), 'a');
  await writeFile(at('full', 'b.txt'), 'b');
  await mkdir(at('withdata'));
  await writeFile(at('withdata', 'train.csv'), VICTIM);
});

describe('outputs never destroy inputs', () => {
  it('each refused with one line, before any work', async () => {
    const cases: [string[], string][] = [
      [['apply', '--rules', RULES, '--data', at('victim.csv'), '--out', at('victim.csv')], `--out: ${at('victim.csv')} is the file given to --data; write the output elsewhere`],
      [
        ['apply', '--rules', RULES, '--data', at('victim.csv'), '--out', at('hard.csv')],
        `--out: ${at('hard.csv')} is the same file as ${at('victim.csv')} (given to --data); write the output elsewhere`,
      ],
      [
        ['apply', '--rules', RULES, '--data', at('victim.csv'), '--out', at('soft.csv')],
        `--out: ${at('soft.csv')} is the same file as ${at('victim.csv')} (given to --data); write the output elsewhere`,
      ],
      [['rules', 'simplify', at('rules.json'), '--model', at('model'), '--data', at('victim.csv'), '--out', at('rules.json')], `--out: ${at('rules.json')} is the file given to <file>; write the output elsewhere`],
      [['apply', '--rules', RULES, '--data', at('victim.csv'), '--out', '/dev/null'], '--out: /dev/null is a device, expected a regular file or a new path'],
      [['apply', '--rules', RULES, '--data', at('victim.csv'), '--out', ''], '--out: expected a file name, got ""'],
      [['apply', '--rules', RULES, '--data', at('victim.csv'), '--out', at('folder')], `--out: ${at('folder')} is a folder, expected a regular file or a new path`],
      [['predict', '--model', at('model'), '--data', at('victim.csv'), '--out', at('model', 'model.json')], `--out: ${at('model', 'model.json')} is a file of the --model folder ${at('model')}; write the output elsewhere`],
      [['train', '--data', at('victim.csv'), '--out', at('victim.csv')], `--out: ${at('victim.csv')} is a file, expected a folder or a new path`],
      [['train', '--data', 'builtin:iris', '--out', at('full')], `--out: ${at('full')} is a folder that is not empty (2 entries); pass --force to replace it`],
      [['demo', '--out', at('full')], `--out: ${at('full')} is a folder that is not empty (2 entries); pass --force to replace it`],
      [
        ['train', '--data', at('withdata', 'train.csv'), '--out', at('withdata'), '--force'],
        `--out: replacing ${at('withdata')} would delete ${at('withdata', 'train.csv')}, given to --data; write the output elsewhere`,
      ],
    ];
    const results = await runEach(cases.map(([args]) => [...args, '--quiet']));
    results.forEach((r, i) => expectLine(r, cases[i][1]));
    expect(await readFile(at('victim.csv'), 'utf8')).toBe(VICTIM);
    expect(await readFile(at('rules.json'), 'utf8')).toBe(await readFile(RULES, 'utf8'));
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await readdir(at('full'))).toEqual(['a.txt', 'b.txt']);
    expect(await readdir(at('withdata'))).toEqual(['train.csv']);
  }, 120_000);

  it('train --force replaces a folder whole', async () => {
    await mkdir(at('old-model'));
    await writeFile(at('old-model', 'stale.txt'), 'old');
    const [r] = await runEach([['train', '--data', 'builtin:iris', '--out', at('old-model'), '--force', '--hidden', '2', '--epochs', '2', '--quiet']]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((await readdir(at('old-model'))).sort()).toEqual(['encoder.json', 'metrics.json', 'model.json', 'weights.bin']);
    expect((await readdir(dir())).filter((f) => f.startsWith('.'))).toEqual([]);
  }, 120_000);
});

describe('writeFolderAtomic', () => {
  it('a failure while filling leaves the old folder as it was, and no temporary folder', async () => {
    await mkdir(at('atomic'));
    await writeFile(at('atomic', 'encoder.json'), 'old encoder');
    await writeFile(at('atomic', 'weights.bin'), 'old weights');
    const stopped = writeFolderAtomic(at('atomic'), async (tmp) => {
      await writeFile(join(tmp, 'weights.bin'), 'new weights');
      throw new Error('killed half-way');
    });
    await expect(stopped).rejects.toThrow('killed half-way');
    expect(await readFile(at('atomic', 'weights.bin'), 'utf8')).toBe('old weights');
    expect(await readFile(at('atomic', 'encoder.json'), 'utf8')).toBe('old encoder');
    expect((await readdir(dir())).filter((f) => f.startsWith('.atomic'))).toEqual([]);
    await writeFolderAtomic(at('atomic'), (tmp) => writeFile(join(tmp, 'weights.bin'), 'new weights'));
    expect(await readdir(at('atomic'))).toEqual(['weights.bin']);
    expect(await readFile(at('atomic', 'weights.bin'), 'utf8')).toBe('new weights');
  });
});
