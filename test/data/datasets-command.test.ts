import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { SHARED } from './helpers.js';

describe('distill datasets', () => {
  it('lists the builtins as a table and as JSON', async () => {
    const text = await runCli(['datasets']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^name\s+rows\s+features\s+target\s+task\s+description$/m);
    expect(text.stdout).toMatch(/^builtin:iris\s+150\s+4\s+species\s+classification\s/m);
    expect(text.stdout).toMatch(/^builtin:monk3\s+432\s+6\s+class\s/m);
    const json = await runCli(['datasets', '--format', 'json']);
    expect(json.code).toBe(0);
    const list = JSON.parse(json.stdout) as { name: string; spec: string; rows: number }[];
    expect(list.map((b) => b.spec)).toEqual(['builtin:iris', 'builtin:penguins', 'builtin:monk1', 'builtin:monk2', 'builtin:monk3', 'builtin:xor']);
    expect(list.find((b) => b.name === 'penguins')?.rows).toBe(344);
  });

  it('describes a file, with the loader warnings, and names the flag of a bad option', async () => {
    const r = await runCli(['datasets', join(SHARED, 'wdbc.data'), '--target', 'Diagnosis', '--ignore', 'ID', '--format', 'json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body.rows).toBe(569);
    expect(body.schema.target).toEqual({ name: 'Diagnosis', kind: 'class', classes: ['B', 'M'] });
    expect(body.warnings[0]).toMatch(/the header names 3 of 32 columns/);
    const bad = await runCli(['datasets', 'builtin:iris', '--target', 'colour']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('distill: --target: builtin:iris: unknown target column "colour"; available columns: "sepal_length", "sepal_width", "petal_length", "petal_width", "species"\n');
    const fmt = await runCli(['datasets', '--format', 'xml']);
    expect(fmt.code).toBe(2);
    expect(fmt.stderr).toContain('--format: expected text or json');
  });
});
