/**
 * Hostile data files: control characters in values, special files given as data, a target that
 * cannot train a classifier. Each case: the exact one-line error, exit 2 (or, for a constant
 * regression target, the exact warning).
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectLine, useHostileFiles } from './data-fixtures.js';

const files = useHostileFiles();
// Each case runs the CLI; on a loaded machine a run can take far longer than the default timeout.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 120_000 });

describe('control characters in data values', () => {
  it('a NUL byte in a CSV value names the file, line and column', async () => {
    const f = files().at('nul.csv');
    await writeFile(f, 'a,y\n1,p\n2,q\u0000x\n');
    expectLine(await runCli(['datasets', f]), `${f}:3: column "y": control character U+0000 (NUL) in a value; data values must be text without control characters`);
  });

  it('an escape sequence in a CSV value, an ARFF value and a JSON value', async () => {
    const csv = files().at('esc.csv');
    const arff = files().at('esc.arff');
    const json = files().at('bel.json');
    await writeFile(csv, 'a,y\n1,p\u001b[2J\n2,q\n');
    await writeFile(arff, '@relation r\n@attribute a numeric\n@attribute y string\n@data\n1,p\n2,\'q\u001b]0;x\u0007\'\n');
    await writeFile(json, JSON.stringify([{ a: 1, y: 'p' }, { a: 2, y: 'q\u0007' }]));
    const [c, a, j] = await Promise.all([runCli(['datasets', csv]), runCli(['datasets', arff]), runCli(['datasets', json])]);
    expectLine(c, `${csv}:2: column "y": control character U+001B (ESC) in a value; data values must be text without control characters`);
    expectLine(a, `${arff}:6: column "y": control character U+001B (ESC) in a value; data values must be text without control characters`);
    expectLine(j, `${json}: column "y": at $[1]: control character U+0007 (BEL) in a value; data values must be text without control characters`);
  });
});

describe('data paths must be regular files', () => {
  it('a named pipe is refused before reading (datasets, apply, predict), as are a folder and a device', async () => {
    const { fifo, rules, model, encoder, dir } = files();
    const [d, a, p, folder, device] = await Promise.all([
      runCli(['datasets', fifo]),
      runCli(['apply', '--rules', rules, '--data', fifo]),
      runCli(['predict', '--model', model, '--encoder', encoder, '--data', fifo]),
      runCli(['datasets', dir]),
      runCli(['datasets', '/dev/zero']),
    ]);
    expectLine(d, `${fifo}: is a named pipe (FIFO), expected a data file`);
    expectLine(a, `--data: ${fifo}: is a named pipe (FIFO), expected a data file`);
    expectLine(p, `--data: ${fifo}: is a named pipe (FIFO), expected a data file`);
    expectLine(folder, `${dir}: is a folder, expected a data file`);
    expectLine(device, `/dev/zero: is a device, expected a data file`);
  });

  it('- reads standard input (datasets; apply and predict in one pass, as from the file); a second pass is refused', async () => {
    const { csv, rules, model, encoder } = files();
    const text = await readFile(csv, 'utf8');
    const bad = text.replace(/\n0,/, '\nzero,');
    const out = files().at('from-stdin.csv');
    // A model file without encoder.json beside it.
    const bare = files().at('bare');
    await mkdir(bare, { recursive: true });
    await copyFile(model, join(bare, 'model.onnx'));
    const [d, dBad, a, aFile, p, pFile, late, twice, noEncoder] = await Promise.all([
      runCli(['datasets', '-', '--format', 'json'], { stdin: text }),
      runCli(['datasets', '-'], { stdin: bad }),
      runCli(['apply', '--rules', rules, '--data', '-'], { stdin: text }),
      runCli(['apply', '--rules', rules, '--data', csv]),
      runCli(['predict', '--model', model, '--encoder', encoder, '--data', '-', '--quiet'], { stdin: text }),
      runCli(['predict', '--model', model, '--encoder', encoder, '--data', csv, '--quiet']),
      runCli(['apply', '--rules', rules, '--data', '-', '--out', out], { stdin: bad }),
      runCli(['extract', '--model', model, '--encoder', encoder, '--data', '-', '--method', 'cart'], { stdin: text }),
      runCli(['predict', '--model', join(bare, 'model.onnx'), '--data', '-'], { stdin: text }),
    ]);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toMatchObject({ source: '<stdin>', rows: 12 });
    expectLine(dBad, '<stdin>:2: column "a\\x1b[2J": expected a number, got "zero"');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(aFile.stdout);
    expect(p.code).toBe(0);
    expect(p.stdout).toBe(pFile.stdout);
    expectLine(late, '<stdin>:2: column "a\\x1b[2J": expected a number, got "zero"');
    await expect(readFile(out)).rejects.toThrow(/ENOENT/);
    expectLine(twice, '<stdin>: standard input can be read only once, and this needs a second pass over the data; give a file instead');
    expectLine(noEncoder, '--data: standard input needs a model with an encoder (encoder.json beside it, or --encoder): without one the data is scanned for its columns first, a second pass');
  });
});

describe('targets that cannot be learned', () => {
  it('training refuses a target with one class; a constant regression target trains with a warning', async () => {
    const one = files().at('one.csv');
    const constant = files().at('constant.csv');
    await writeFile(one, 'a,b,y\n1,2,p\n2,3,p\n3,1,p\n');
    await writeFile(constant, 'a,b,y\n1,2,3.5\n2,3,3.5\n3,1,3.5\n4,2,3.5\n');
    const [r1, r2] = await Promise.all([
      runCli(['train', '--data', one, '--out', files().at('m-one')]),
      runCli(['train', '--data', constant, '--out', files().at('m-constant'), '--hidden', '2', '--epochs', '1', '--validation-split', '0']),
    ]);
    expectLine(r1, `${one}: column "y": the target has one class only ("p"): a classifier needs rows of at least 2 classes`);
    expect(r2.code).toBe(0);
    expect(r2.stderr.split('\n')).toContain('distill: warning: the target "y" is constant (3.5 in every labelled row): the network can only predict that value');
  });
});
