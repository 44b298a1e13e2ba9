import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import datasets from '../../src/cli/commands/datasets.js';
import { runCli } from '../helpers/cli.js';
import { itShared, SHARED } from '../helpers/shared-datasets.js';

/** Runs the command's handler in-process and returns what it wrote on stdout. */
async function runHandler(args: Record<string, unknown>): Promise<string> {
  let out = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } };
  await (datasets.handler as (a: unknown) => Promise<void>)({ _: [], $0: 'distill', seed: 42, quiet: true, debug: false, io, ...args });
  return out;
}

describe('distill datasets', () => {
  it('lists the builtins as a table and as JSON', async () => {
    const text = await runHandler({});
    expect(text).toMatch(/^name\s+rows\s+features\s+target\s+task\s+description$/m);
    expect(text).toMatch(/^builtin:iris\s+150\s+4\s+species\s+classification\s/m);
    expect(text).toMatch(/^builtin:monk3\s+432\s+6\s+class\s/m);
    expect(text).toMatch(/^ {2}penguins: npm vega-datasets/m);
    const list = JSON.parse(await runHandler({ format: 'json' })) as { name: string; spec: string; rows: number }[];
    expect(list.map((b) => b.spec)).toEqual(['builtin:iris', 'builtin:penguins', 'builtin:monk1', 'builtin:monk2', 'builtin:monk3', 'builtin:xor']);
    expect(list.find((b) => b.name === 'penguins')?.rows).toBe(344);
    await expect(runHandler({ format: 'xml' })).rejects.toThrow('--format: expected text or json, got "xml"');
  });

  itShared('describes a file with its inferred types and the loader warnings', async () => {
    const wdbc = join(SHARED, 'wdbc.data');
    const body = JSON.parse(await runHandler({ data: wdbc, target: 'Diagnosis', ignore: 'ID', format: 'json' }));
    expect(body.rows).toBe(569);
    expect(body.schema.target).toEqual({ name: 'Diagnosis', kind: 'class', classes: ['B', 'M'] });
    expect(body.columns[0]).toEqual({ name: 'Size', role: 'feature', type: 'numeric', missing: 0, values: '6.981 .. 28.11' });
    expect(body.warnings[0]).toMatch(/the header names 3 of 32 columns/);
  });

  it('describes a builtin as text: rows, missing values, column types and the target', async () => {
    const text = await runHandler({ data: 'builtin:penguins' });
    expect(text).toMatch(/^builtin:penguins: 344 rows, 6 features, 19 missing feature values$/m);
    expect(text).toMatch(/^sex\s+feature\s+categorical\s+11\s+2: FEMALE, MALE$/m);
    expect(text).toMatch(/^species\s+target\s+class\s+0\s+3: Adelie, Chinstrap, Gentoo$/m);
  });

  it('exits 2 naming the flag of a bad option', async () => {
    const bad = await runCli(['datasets', 'builtin:iris', '--target', 'colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('distill: --target: builtin:iris: unknown target column "colour"; available columns: "sepal_length", "sepal_width", "petal_length", "petal_width", "species"\n');
    expect(bad.stdout).toBe('');
  });
});
