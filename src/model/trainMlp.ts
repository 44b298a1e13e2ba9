/**
 * Training a small multi-layer perceptron on a tabular data set with TensorFlow.js: the networks
 * the toolkit's own demos explain. Seeded end to end: weight initialisation, the validation split
 * and the per-epoch shuffling all come from {@link createRng}, so the same seed gives the same
 * weights.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { join } from 'node:path';
import { encodeRows, fitEncoder, type EncoderJSON } from '../data/encoder.js';
import { targetValues } from '../data/align.js';
import type { Dataset } from '../data/types.js';
import { InputError } from '../util/errors.js';
import { kebabFlag, parseOptions } from '../util/options.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { writeFolderAtomic } from '../util/files.js';
import { checkMemory } from '../util/memory.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng, DEFAULT_SEED, type Rng } from '../util/rng.js';
import { initBackend } from './backend.js';
import { createTabularModel } from './createTabularModel.js';
import { fitMlp } from './fitMlp.js';
import { layersBlackBox } from './layers.js';
import { sha256Of } from './outputs.js';
import type { TabularModel } from './types.js';

/**
 * Options of {@link trainMlp}: names, types, defaults and allowed values. They are the flags of
 * `distill train`, so messages name the flag (`--validation-split: expected a number in [0, 1)`).
 */
export const TrainOptionsSchema = z.strictObject({
  /** Units per hidden layer (default [32, 16]). */
  hidden: z.array(z.number().int().min(1)).default([32, 16]),
  /** Hidden activation (default relu). */
  activation: z.enum(['relu', 'sigmoid', 'tanh']).default('relu'),
  /** Maximum epochs (default 200). */
  epochs: z.number().int().min(1).default(200),
  /** Adam learning rate (default 0.01). */
  learningRate: z.number().gt(0).default(0.01),
  /** Rows per gradient step (default 32). */
  batchSize: z.number().int().min(1).default(32),
  /** Share of rows held out for validation and early stopping (default 0.2; 0 = none). */
  validationSplit: z.number().min(0).lt(1).default(0.2),
  /** Epochs without improvement of the validation loss (training loss without validation) before stopping (default 30). */
  patience: z.number().int().min(1).default(30),
  /** Seed for initialisation, split and shuffling (default 42). */
  seed: z.number().int().default(DEFAULT_SEED),
  /** Standardise numeric inputs (default true). */
  standardize: z.boolean().default(true),
  /** TF.js backend (default the fastest that loads). */
  backend: z.string().optional(),
});

/** Options of {@link trainMlp} (see {@link TrainOptionsSchema}); all optional. */
export type TrainOptions = z.input<typeof TrainOptionsSchema>;

/** Quality of a trained network on one part of the data. */
export interface SplitMetrics {
  rows: number;
  /** Mean cross-entropy (classification) or mean squared error in target units (regression). */
  loss: number;
  /** Share of rows whose argmax is the true class (classification). */
  accuracy?: number;
  /** Rows predicted as each class, in the target's class order (classification). */
  predicted?: number[];
  /** Coefficient of determination (regression). */
  r2?: number;
}

export interface TrainMetrics {
  format: 'surrogate-distill/metrics';
  version: 1;
  task: 'classification' | 'regression';
  data: string;
  seed: number;
  options: Omit<z.output<typeof TrainOptionsSchema>, 'seed' | 'backend'>;
  /** Epochs run (early stopping may end before `options.epochs`). */
  epochs: number;
  /** Epoch (1-based) whose weights were kept. */
  bestEpoch: number;
  train: SplitMetrics;
  validation: SplitMetrics | null;
  /**
   * What a user must know about the network before explaining it: it predicts one class for every
   * training row, or early stopping kept the weights of one of the first epochs (see
   * {@link trainingWarnings}). Empty when neither happened.
   */
  warnings: string[];
}

export interface TrainResult {
  model: TabularModel;
  encoder: EncoderJSON;
  metrics: TrainMetrics;
  /** Things the user should know about the data, e.g. a constant regression target. */
  warnings: string[];
  /** Writes the model folder whole (model.json, weights.bin, encoder.json, metrics.json), replacing any folder at `dir` (see writeFolderAtomic). */
  save(dir: string): Promise<void>;
  /** Writes the same four files into the folder `dir` (created if absent), for a caller that writes a larger folder whole. */
  writeFiles(dir: string): Promise<void>;
}

/** Seeded split: per class (stratified) or overall, `fraction` of the indices go to validation. */
function splitIndices(y: Float64Array, idx: number[], fraction: number, classification: boolean, rng: Rng): [number[], number[]] {
  if (fraction <= 0) return [idx.slice(), []];
  const groups = new Map<number, number[]>();
  for (const i of idx) {
    const k = classification ? y[i] : 0;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(i);
  }
  const train: number[] = [];
  const val: number[] = [];
  for (const k of [...groups.keys()].sort((a, b) => a - b)) {
    const g = rng.shuffle(groups.get(k)!);
    const nVal = Math.min(g.length - 1, Math.round(g.length * fraction));
    val.push(...g.slice(0, Math.max(0, nVal)));
    train.push(...g.slice(Math.max(0, nVal)));
  }
  return [train.sort((a, b) => a - b), val.sort((a, b) => a - b)];
}

/**
 * Trains an MLP (Adam; softmax + cross-entropy for class targets, linear + mean squared error for
 * numeric ones) on `ds` through {@link fitEncoder}'s encoding (standardised numbers, one-hot
 * categories). Early stopping on the validation loss restores the best epoch's weights.
 *
 * @param ds labelled data; rows with a missing target are skipped.
 * @param progress called after each epoch with (epoch, maxEpochs, 'training').
 * @throws InputError when `ds` has no target, too few labelled rows, or invalid options.
 * @example
 * const { model, metrics, save } = await trainMlp(await loadDataset('builtin:iris'), { seed: 1 });
 * metrics.validation?.accuracy; // e.g. 0.967
 * await save('models/iris');
 */
export async function trainMlp(ds: Dataset, opts: TrainOptions = {}, progress?: ProgressFn): Promise<TrainResult> {
  const target = ds.schema.target;
  if (!target || !ds.target) throw new InputError('training needs a target column', { file: ds.source });
  const { seed, backend, ...o } = parseOptions(TrainOptionsSchema, opts, { method: 'train', flagOf: kebabFlag });
  const classification = target.kind === 'class';
  const yAll = targetValues(ds);
  const labelled: number[] = [];
  for (let i = 0; i < yAll.length; i++) if (!Number.isNaN(yAll[i])) labelled.push(i);
  if (labelled.length < 2) throw new InputError(`only ${labelled.length} row(s) have a target value; training needs at least 2`, { file: ds.source });
  const warnings: string[] = [];
  const distinct = new Set(labelled.map((i) => yAll[i]));
  if (distinct.size < 2) {
    const only = classification ? JSON.stringify(target.classes[yAll[labelled[0]]]) : String(yAll[labelled[0]]);
    // A classifier of one class learns nothing and would be taken for a model; a constant
    // regression target still trains (the network predicts the constant), with a warning.
    if (classification) throw new InputError(`the target has one class only (${only}): a classifier needs rows of at least 2 classes`, { file: ds.source, column: target.name });
    warnings.push(`the target "${target.name}" is constant (${only} in every labelled row): the network can only predict that value`);
  }
  await initBackend(backend);
  const encoder = fitEncoder(ds, { standardize: o.standardize });
  const X = encodeRows(encoder, ds.rows);
  const width = encoder.inputSize;
  const k = classification ? target.classes.length : 1;
  const rng = createRng(seed);
  const [trainIdx, valIdx] = splitIndices(yAll, labelled, o.validationSplit, classification, rng.fork());
  const shuffleRng = rng.fork();
  // Regression: learn a standardised target, folded back into the last layer after training.
  let yMean = 0;
  let yStd = 1;
  if (!classification) {
    yMean = trainIdx.reduce((a, i) => a + yAll[i], 0) / trainIdx.length;
    yStd = Math.sqrt(trainIdx.reduce((a, i) => a + (yAll[i] - yMean) ** 2, 0) / trainIdx.length) || 1;
  }
  // class index, or the standardised target (NaN rows are never visited: they are in neither split)
  const yFit = Float64Array.from(yAll, (v) => (classification ? v : (v - yMean) / yStd));

  const initRng = rng.fork();
  // Weights, their gradients and Adam's two moments (float64 in fitMlp) checked before any is allocated.
  const sizes = [width, ...o.hidden, k];
  let weightCount = 0;
  for (let l = 1; l < sizes.length; l++) weightCount += sizes[l - 1] * sizes[l] + sizes[l];
  checkMemory(weightCount * 32, `a ${sizes.join('-')} network (${weightCount} weights, with gradients and optimiser state)`, { flag: '--hidden' });
  const fit = fitMlp(
    { x: X, width, y: yFit, train: trainIdx, validation: valIdx, classes: classification ? k : 0 },
    { hidden: o.hidden, activation: o.activation, epochs: o.epochs, learningRate: o.learningRate, batchSize: o.batchSize, patience: o.patience },
    initRng,
    shuffleRng,
    progress ? (e, n) => progress(e, n, 'training') : undefined,
  );
  if (!classification) {
    // Fold the target scaling into the output layer: y = yStd * out + yMean.
    const last = fit.layers[fit.layers.length - 1];
    for (let i = 0; i < last.weights.length; i++) last.weights[i] *= yStd;
    for (let j = 0; j < last.biases.length; j++) last.biases[j] = last.biases[j] * yStd + yMean;
  }
  const model = tf.sequential({ name: 'mlp' });
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1;
    model.add(
      tf.layers.dense({
        name: `dense_${l}`,
        units: sizes[l],
        activation: last ? (classification ? 'softmax' : 'linear') : o.activation,
        inputShape: l === 1 ? [width] : undefined,
        kernelInitializer: 'zeros',
        biasInitializer: 'zeros',
      }),
    );
  }
  const weights = fit.layers.flatMap((ly) => [
    tf.tensor2d(Float32Array.from(ly.weights), [ly.inputs, ly.outputs]),
    tf.tensor1d(Float32Array.from(ly.biases)),
  ]);
  model.setWeights(weights);
  tf.dispose(weights);
  const epoch = fit.epochs;
  const bestEpoch = fit.bestEpoch;

  const files = await serialize(model);
  const hash = sha256Of(files.modelJson, files.weights);
  const tabular = createTabularModel(layersBlackBox(model, { source: `trained on ${ds.source}`, hash }), encoder);
  const scoreSplit = async (idx: number[]): Promise<SplitMetrics> => {
    const rows = idx.map((i) => ds.rows[i]);
    const out = await tabular.predictRows(rows);
    let loss = 0;
    if (classification) {
      let correct = 0;
      const predicted = new Array<number>(k).fill(0);
      idx.forEach((r, i) => {
        const t = yAll[r];
        loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, out[i * k + t])));
        let arg = 0;
        for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + arg]) arg = j;
        if (arg === t) correct++;
        predicted[arg]++;
      });
      return { rows: idx.length, loss: loss / idx.length, accuracy: correct / idx.length, predicted };
    }
    const mean = idx.reduce((a, r) => a + yAll[r], 0) / idx.length;
    let ssTot = 0;
    idx.forEach((r, i) => {
      loss += (out[i] - yAll[r]) ** 2;
      ssTot += (yAll[r] - mean) ** 2;
    });
    return { rows: idx.length, loss: loss / idx.length, r2: ssTot > 0 ? 1 - loss / ssTot : NaN };
  };
  const train = await scoreSplit(trainIdx);
  const metrics: TrainMetrics = {
    format: 'surrogate-distill/metrics',
    version: 1,
    task: classification ? 'classification' : 'regression',
    data: ds.source,
    seed,
    options: o,
    epochs: epoch,
    bestEpoch,
    train,
    validation: valIdx.length ? await scoreSplit(valIdx) : null,
    warnings: trainingWarnings({ epochs: epoch, bestEpoch, maxEpochs: o.epochs, train, classes: classification ? target.classes : null }),
  };
  const writeFiles = async (dir: string): Promise<void> => {
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'weights.bin'), files.weights);
    await writeFile(join(dir, 'encoder.json'), JSON.stringify(encoder, null, 2) + '\n');
    await writeFile(join(dir, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
    await writeFile(join(dir, 'model.json'), files.modelJson);
  };
  return {
    model: tabular,
    encoder,
    metrics,
    warnings,
    writeFiles,
    async save(dir: string) {
      // Whole or not at all: a stopped save never leaves new weights beside an old encoder.
      await writeFolderAtomic(dir, writeFiles);
    },
  };
}

/** Early stopping that keeps the weights of an epoch up to this one is reported: the network has barely trained. */
const EARLY_EPOCHS = 3;

/**
 * The warnings of a training run: the network predicts one class for every training row (it has
 * learnt nothing a rule could describe but "always X"), or early stopping restored the weights of
 * one of the first {@link EARLY_EPOCHS} epochs (the validation loss only rose after them), which
 * usually means a learning rate too low or too high for the network or a plateau longer than the
 * patience.
 *
 * @example
 * trainingWarnings({ epochs: 33, bestEpoch: 3, maxEpochs: 200, train, classes: ['0', '1'] });
 * // ['the network predicts class 0 for every training row (accuracy 0.67): ...', 'early stopping kept the weights of epoch 3 ...']
 */
export function trainingWarnings(p: { epochs: number; bestEpoch: number; maxEpochs: number; train: SplitMetrics; classes: string[] | null }): string[] {
  const out: string[] = [];
  const pred = p.train.predicted;
  if (p.classes && pred && p.train.rows > 0) {
    const only = pred.findIndex((c) => c === p.train.rows);
    if (only >= 0 && p.classes.length > 1) {
      out.push(
        `the network predicts class ${p.classes[only]} for every training row (accuracy ${p.train.accuracy!.toFixed(2)}, the share of that class): rules extracted from it only say "always ${p.classes[only]}"; train longer or with another --learning-rate, more --hidden units or --validation-split 0`,
      );
    }
  }
  if (p.bestEpoch <= EARLY_EPOCHS && p.epochs > p.bestEpoch) {
    out.push(
      `early stopping kept the weights of epoch ${p.bestEpoch} of ${p.epochs} (the validation loss did not improve after it): the network has barely trained; try another --learning-rate, a larger --patience or --validation-split 0`,
    );
  }
  return out;
}

/** model.json text (weights in one `weights.bin` shard) and the weight bytes, as tfjs.save writes them. */
async function serialize(model: tf.LayersModel): Promise<{ modelJson: string; weights: Uint8Array }> {
  let result: { modelJson: string; weights: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      const wd = a.weightData;
      const parts = wd === undefined ? [] : Array.isArray(wd) ? wd : [wd];
      const total = parts.reduce((s, p) => s + p.byteLength, 0);
      const weights = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        weights.set(new Uint8Array(p), off);
        off += p.byteLength;
      }
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: a.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }],
      };
      result = { modelJson: JSON.stringify(json), weights };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return result!;
}
