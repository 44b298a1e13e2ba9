/**
 * What the rule-quality benchmarks share: the public files, the seeded 80/20 split (or the
 * MONK's own train/test files), networks trained by `trainMlp` ({@link trainingFor}, seed 1) on
 * the 80 % part and cached between runs under the OS temporary folder, fidelity on the 20 % test part with a bootstrap interval, and timing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDataset, splitDataset } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';
import type { LoadOptions } from '../../src/data/options.js';
import { scoreRuleSet } from '../../src/metrics/index.js';
import { loadModel, trainMlp, TrainOptionsSchema, type TrainOptions } from '../../src/model/index.js';
import type { TabularModel } from '../../src/model/types.js';
import type { RuleSet } from '../../src/rules/schema.js';
import { sha256Of } from '../../src/model/outputs.js';

/** The public data sets (../shared/datasets from the project root). */
export const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'datasets');

/** One row of the rule-quality table. */
export interface RuleQualityRow {
  method: string;
  /** Data set and what was measured on it, e.g. "magic.csv" or "wdbc.data, 40 test rows". */
  data: string;
  /** Fidelity to the network on the test split, with its 95 % interval and row count. */
  fidelity: { value: number; ci95: [number, number] | null; rows: number } | null;
  rules: number | null;
  conditions: number | null;
  /** Wall-clock and CPU seconds of the method (not of training). */
  seconds: number;
  cpuSeconds: number;
  /** Anything else a reader needs (budget cut, precision and coverage...). */
  notes: string;
}

/** A public file, how to load it, and its short name; `testFile` when the test split is its own file. */
export interface PublicData {
  name: string;
  file: string;
  testFile?: string;
  load: LoadOptions;
}

export const WDBC: PublicData = { name: 'wdbc', file: 'wdbc.data', load: { target: 'Diagnosis', ignore: ['ID'] } };
export const ADULT: PublicData = { name: 'adult', file: 'adult.csv', load: {} };
export const MAGIC: PublicData = { name: 'magic', file: 'magic.csv', load: {} };
export const LETTER: PublicData = { name: 'letter', file: 'letter.csv', load: {} };
export const MUSHROOM: PublicData = { name: 'mushroom', file: 'mushroom.csv', load: { targetIndex: 0 } };
/** MONK-1/2/3: their own `.train` and `.test` files (ARFF). */
export const MONKS: PublicData[] = [1, 2, 3].map((k) => ({ name: `monk${k}`, file: `monks-${k}.train`, testFile: `monks-${k}.test`, load: {} }));

/**
 * How the benchmark trains the network for `d`: the CLI's defaults with sigmoid hidden units (the
 * units M-of-N and Tsukimoto's method read as on/off; the other methods take any activation), and
 * on files of more than 5000 rows batches of 256 and at most 60 epochs, so that training a large
 * file takes tens of seconds rather than minutes.
 */
export function trainingFor(d: PublicData): TrainOptions {
  const large = d === MUSHROOM || d === ADULT || d === MAGIC || d === LETTER;
  return large ? { activation: 'sigmoid', batchSize: 256, epochs: 60 } : { activation: 'sigmoid' };
}

/** The network's accuracy against the true labels of `test` (null when it has none). */
export async function networkAccuracy(model: TabularModel, test: Dataset): Promise<number | null> {
  const target = test.schema.target;
  if (!test.target || target?.kind !== 'class') return null;
  const classes = model.classes ?? target.classes;
  const predicted = await model.predictLabels(test.rows);
  let right = 0;
  let known = 0;
  test.target.forEach((t, i) => {
    if (t === null) return;
    known++;
    if (classes[predicted[i]] === String(t)) right++;
  });
  return known ? right / known : null;
}

/** Why the shared data cannot be used, or null when it can. */
export function sharedMissing(): string | null {
  return existsSync(SHARED) ? null : `skipped: ${SHARED} not found`;
}

/** Seed of the 80/20 split and of training. */
export const SPLIT_SEED = 1;

/**
 * The file split 80/20 (stratified, seed 1) and a network trained by `trainMlp` with the CLI's
 * defaults (seed 1) on the 80 % part, cached under the OS temporary folder by data and options.
 */
export async function trainedNetwork(d: PublicData, train: TrainOptions = {}): Promise<{ model: TabularModel; train: Dataset; test: Dataset; trainSeconds: number | null }> {
  const ds = await loadDataset(join(SHARED, d.file), d.load);
  const [trainPart, test] = d.testFile ? [ds, await loadDataset(join(SHARED, d.testFile), d.load)] : splitDataset(ds, 0.8, SPLIT_SEED);
  const options = { seed: SPLIT_SEED, ...train };
  // the key holds every training option with its default and the trainer's source, so that a
  // changed default or trainer trains afresh rather than reusing a stale network
  const trainer = readFileSync(join(import.meta.dirname, '..', '..', 'src', 'model', 'trainMlp.ts'), 'utf8');
  const key = sha256Of(JSON.stringify({ data: d, options: TrainOptionsSchema.parse(options), rows: trainPart.rows.length, trainer })).slice(7, 19);
  const dir = join(tmpdir(), 'surrogate-distill-bench', `${d.name}-${key}`);
  if (existsSync(join(dir, 'model.json'))) return { model: await loadModel(dir), train: trainPart, test, trainSeconds: null };
  const t0 = performance.now();
  const result = await trainMlp(trainPart, options);
  const trainSeconds = (performance.now() - t0) / 1000;
  await result.save(dir);
  return { model: result.model, train: trainPart, test, trainSeconds };
}

/** Fidelity of `rs` to `model` on `test` (agreement, 1000 bootstrap resamples, seed 1). */
export async function testFidelity(rs: RuleSet, model: TabularModel, test: Dataset): Promise<NonNullable<RuleQualityRow['fidelity']>> {
  const labels = await model.predictLabels(test.rows);
  const s = scoreRuleSet(rs, test.rows, labels, undefined, { seed: 1, bootstrap: 1000 });
  const f = s.fidelity;
  if (f.task !== 'classification') throw new Error('expected a classifier');
  return { value: f.agreement, ci95: f.ci95, rows: s.rows };
}

/** Runs `f`, returning its result with wall-clock and CPU seconds. */
export async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}
