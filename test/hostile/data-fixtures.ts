/**
 * Files for the hostile-input tests of data, rule files and printed text: a temporary folder with
 * CSV files whose names and values carry terminal escapes and spreadsheet formulas, a small model
 * (an ONNX network with its encoder.json) and rule sets over the same columns; the exact one-line
 * error check is sec-helpers.ts's, re-exported.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { fitEncoder, type EncoderJSON } from '../../src/data/encoder.js';
import { loadDataset } from '../../src/data/load.js';
import { denseNetworkToOnnx } from '../../src/model/denseNetworkToOnnx.js';
import type { RuleSet } from '../../src/rules/schema.js';
import { NETWORK } from '../model/fixtures.js';

/** An OSC sequence that retitles a terminal, and one that clears it. */
export const RETITLE = '\u001b]0;pwned\u0007';
export const CLEAR = '\u001b[2J';
/** A class name a spreadsheet would run as a formula. */
export const FORMULA = "=cmd|' /C calc'!A0";

/** Column names: the first clears the screen (a header may hold any text; it is shown escaped). */
export const COLUMNS = [`a${CLEAR}`, 'b', 'c'];
/** Classes of the model and the rules (files that name classes as they like). */
export const CLASSES = [FORMULA, `x${RETITLE}`];
/** Classes in the data (values may not hold control characters). */
export const DATA_CLASSES = [FORMULA, '@SUM(1)'];

export { expectLine } from './sec-helpers.js';

/** Text printed for a terminal: no raw escape character, the escapes shown as `\x1b`. */
export function expectNoRawControls(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
}

const csvQuote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** An encoder naming the model's classes {@link CLASSES}. */
function hostileEncoder(enc: EncoderJSON): EncoderJSON {
  return { ...enc, schema: { ...enc.schema, target: { name: 'y', kind: 'class', classes: CLASSES } } };
}

/** Rows of the hostile CSV: three numbers (one negative) and a class. */
function hostileCsv(): string {
  const lines = [[...COLUMNS, 'y'].map(csvQuote).join(',')];
  for (let i = 0; i < 12; i++) lines.push([i % 4, (i * 7) % 5, -1.5 + i / 4, DATA_CLASSES[i % 2]].map((v) => csvQuote(String(v))).join(','));
  return lines.join('\n') + '\n';
}

/** A rule list over the hostile columns: first class when a <= 1.5, else the second. */
export function hostileRules(): RuleSet {
  return {
    format: 'surrogate-distill/rules',
    version: 1,
    task: 'classification',
    schema: { features: COLUMNS.map((name) => ({ name, type: 'numeric' as const })), target: { name: 'y', kind: 'class', classes: CLASSES } },
    surrogate: { kind: 'list', rules: [{ conditions: [{ type: 'le', feature: COLUMNS[0], threshold: 1.5 }], output: { class: CLASSES[0] } }], default: { class: CLASSES[1] } },
    provenance: {
      tool: 'surrogate-distill@0.1.0',
      method: `hand${RETITLE}`,
      options: {},
      seed: 42,
      samples: null,
      data: `data${CLEAR}.csv`,
      model: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
    fidelity: null,
  };
}

/** A decision tree `depth` splits deep (each split's `no` branch a leaf). */
export function deepTree(depth: number): RuleSet {
  const rs = hostileRules();
  let node: unknown = { type: 'leaf', output: { class: CLASSES[1] } };
  for (let d = 0; d < depth; d++) node = { type: 'split', condition: { type: 'le', feature: 'b', threshold: d }, yes: node, no: { type: 'leaf', output: { class: CLASSES[0] } } };
  return { ...rs, surrogate: { kind: 'tree', root: node } } as RuleSet;
}

/**
 * The text of a rule list whose only condition is M-of-N tests nested `depth` deep (built as text:
 * `JSON.stringify` itself recurses once per level).
 */
export function deepMofNText(depth: number): string {
  const rs = hostileRules();
  const inner = JSON.stringify({ type: 'le', feature: 'b', threshold: 1 });
  const condition = '{"type":"mofn","m":1,"conditions":['.repeat(depth) + inner + ']}'.repeat(depth);
  const surrogate = `{"kind":"list","rules":[{"conditions":[${condition}],"output":${JSON.stringify({ class: CLASSES[0] })}}],"default":${JSON.stringify({ class: CLASSES[1] })}}`;
  return JSON.stringify({ ...rs, surrogate: '@S' }).replace('"@S"', surrogate);
}

export interface HostileFiles {
  dir: string;
  at(name: string): string;
  /** hostile.csv: escape sequences in a column name and a class name, a formula as a class. */
  csv: string;
  /** model.onnx (3 inputs, 2 classes) and its encoder.json naming the hostile classes. */
  model: string;
  encoder: string;
  /** rules.json: {@link hostileRules}. */
  rules: string;
  /** fifo: a named pipe. */
  fifo: string;
}

/** A temporary folder of hostile files, made before the calling file's tests and removed after. */
export function useHostileFiles(): () => HostileFiles {
  let files: HostileFiles | null = null;
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'distill-hostile-'));
    const at = (name: string) => join(dir, name);
    await writeFile(at('hostile.csv'), hostileCsv());
    const ds = await loadDataset(at('hostile.csv'));
    await writeFile(at('model.onnx'), denseNetworkToOnnx(NETWORK));
    await writeFile(at('encoder.json'), JSON.stringify(hostileEncoder(fitEncoder(ds))));
    await writeFile(at('rules.json'), JSON.stringify(hostileRules()));
    execFileSync('mkfifo', [at('fifo')]);
    files = { dir, at, csv: at('hostile.csv'), model: at('model.onnx'), encoder: at('encoder.json'), rules: at('rules.json'), fifo: at('fifo') };
  });
  afterAll(async () => {
    if (files) await rm(files.dir, { recursive: true, force: true });
  });
  return () => files!;
}
