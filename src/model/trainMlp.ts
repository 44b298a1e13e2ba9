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
import { writeFile } from 'node:fs/promises';
import { writeFolderAtomic } from '../util/files.js';
import { checkMemory } from '../util/memory.js';
import type { ProgressFn } from '../util/progress.js';
import { createRng, DEFAULT_SEED, type Rng } from '../util/rng.js';
import { initBackend } from './backend.js';
import { createTabularModel } from './createTabularModel.js';
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
}

export interface TrainResult {
  model: TabularModel;
  encoder: EncoderJSON;
  metrics: TrainMetrics;
  /** Writes the model folder whole (model.json, weights.bin, encoder.json, metrics.json), replacing any folder at `dir` (see writeFolderAtomic). */
  save(dir: string): Promise<void>;
}

/** Glorot/Xavier uniform initialisation (Glorot & Bengio 2010) drawn from the seeded generator. */
function glorot(rng: Rng, fanIn: number, fanOut: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.uniform() - 1) * limit;
  return w;
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
  await initBackend(backend);
  const classification = target.kind === 'class';
  const encoder = fitEncoder(ds, { standardize: o.standardize });
  const yAll = targetValues(ds);
  const labelled: number[] = [];
  for (let i = 0; i < yAll.length; i++) if (!Number.isNaN(yAll[i])) labelled.push(i);
  if (labelled.length < 2) throw new InputError(`only ${labelled.length} row(s) have a target value; training needs at least 2`, { file: ds.source });
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
  const gather = (idx: number[]): [Float32Array, Float32Array] => {
    const x = new Float32Array(idx.length * width);
    const y = new Float32Array(idx.length * k);
    idx.forEach((r, i) => {
      x.set(X.subarray(r * width, (r + 1) * width), i * width);
      if (classification) y[i * k + yAll[r]] = 1;
      else y[i] = (yAll[r] - yMean) / yStd;
    });
    return [x, y];
  };

  const model = tf.sequential({ name: 'mlp' });
  const sizes = [width, ...o.hidden, k];
  // Weights, their gradients and Adam's two moments, as float32, before TF.js allocates any.
  let weights = 0;
  for (let l = 1; l < sizes.length; l++) weights += sizes[l - 1] * sizes[l] + sizes[l];
  checkMemory(weights * 16, `a ${sizes.join('-')} network (${weights} weights, with gradients and optimiser state)`, { flag: '--hidden' });
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
  const initRng = rng.fork();
  model.setWeights(
    model.layers.flatMap((layer, l) => {
      const fanIn = sizes[l];
      const fanOut = sizes[l + 1];
      return [tf.tensor2d(glorot(initRng, fanIn, fanOut), [fanIn, fanOut]), tf.zeros([fanOut])];
    }),
  );
  const optimizer = tf.train.adam(o.learningRate);
  const lossOf = (pred: tf.Tensor, y: tf.Tensor): tf.Scalar =>
    classification
      ? (tf.neg(tf.mean(tf.sum(tf.mul(y, tf.log(tf.clipByValue(pred, 1e-7, 1 - 1e-7))), -1))) as tf.Scalar)
      : (tf.mean(tf.square(tf.sub(pred, y))) as tf.Scalar);

  const [xTrainArr, yTrainArr] = gather(trainIdx);
  const [xValArr, yValArr] = gather(valIdx);
  const xVal = valIdx.length ? tf.tensor2d(xValArr, [valIdx.length, width]) : null;
  const yVal = valIdx.length ? tf.tensor2d(yValArr, [valIdx.length, k]) : null;
  const xTrain = tf.tensor2d(xTrainArr, [trainIdx.length, width]);
  const yTrain = tf.tensor2d(yTrainArr, [trainIdx.length, k]);
  const evalLoss = (x: tf.Tensor2D, y: tf.Tensor2D): number =>
    tf.tidy(() => lossOf(model.predict(x, { batchSize: 8192 }) as tf.Tensor, y).dataSync()[0]);

  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights: tf.Tensor[] = [];
  let epoch = 0;
  const order = trainIdx.map((_, i) => i);
  try {
    for (epoch = 1; epoch <= o.epochs; epoch++) {
      shuffleRng.shuffle(order);
      const perm = tf.tensor1d(Int32Array.from(order), 'int32');
      const xs = tf.gather(xTrain, perm);
      const ys = tf.gather(yTrain, perm);
      for (let s = 0; s < order.length; s += o.batchSize) {
        const m = Math.min(o.batchSize, order.length - s);
        optimizer.minimize(() => {
          const xb = tf.slice(xs, [s, 0], [m, width]);
          const yb = tf.slice(ys, [s, 0], [m, k]);
          return lossOf(model.apply(xb, { training: true }) as tf.Tensor, yb);
        });
      }
      tf.dispose([perm, xs, ys]);
      const monitored = xVal && yVal ? evalLoss(xVal, yVal) : evalLoss(xTrain, yTrain);
      if (monitored < best - 1e-7) {
        best = monitored;
        bestEpoch = epoch;
        tf.dispose(bestWeights);
        bestWeights = model.getWeights().map((w) => w.clone());
      }
      progress?.(epoch, o.epochs, 'training');
      if (epoch - bestEpoch >= o.patience) break;
    }
    if (epoch > o.epochs) epoch = o.epochs;
    if (bestWeights.length) model.setWeights(bestWeights);
    if (!classification) {
      // Fold the target scaling into the output layer: y = yStd * out + yMean.
      const last = model.layers[model.layers.length - 1];
      const [kernel, bias] = last.getWeights();
      last.setWeights([tf.mul(kernel, yStd), tf.add(tf.mul(bias, yStd), yMean)]);
    }
  } finally {
    tf.dispose([...bestWeights, xTrain, yTrain, ...(xVal ? [xVal] : []), ...(yVal ? [yVal] : [])]);
    optimizer.dispose();
  }

  const files = await serialize(model);
  const hash = sha256Of(files.modelJson, files.weights);
  const tabular = createTabularModel(layersBlackBox(model, { source: `trained on ${ds.source}`, hash }), encoder);
  const scoreSplit = async (idx: number[]): Promise<SplitMetrics> => {
    const rows = idx.map((i) => ds.rows[i]);
    const out = await tabular.predictRows(rows);
    let loss = 0;
    if (classification) {
      let correct = 0;
      idx.forEach((r, i) => {
        const t = yAll[r];
        loss -= Math.log(Math.min(1 - 1e-7, Math.max(1e-7, out[i * k + t])));
        let arg = 0;
        for (let j = 1; j < k; j++) if (out[i * k + j] > out[i * k + arg]) arg = j;
        if (arg === t) correct++;
      });
      return { rows: idx.length, loss: loss / idx.length, accuracy: correct / idx.length };
    }
    const mean = idx.reduce((a, r) => a + yAll[r], 0) / idx.length;
    let ssTot = 0;
    idx.forEach((r, i) => {
      loss += (out[i] - yAll[r]) ** 2;
      ssTot += (yAll[r] - mean) ** 2;
    });
    return { rows: idx.length, loss: loss / idx.length, r2: ssTot > 0 ? 1 - loss / ssTot : NaN };
  };
  const metrics: TrainMetrics = {
    format: 'surrogate-distill/metrics',
    version: 1,
    task: classification ? 'classification' : 'regression',
    data: ds.source,
    seed,
    options: o,
    epochs: epoch,
    bestEpoch: bestEpoch || epoch,
    train: await scoreSplit(trainIdx),
    validation: valIdx.length ? await scoreSplit(valIdx) : null,
  };
  return {
    model: tabular,
    encoder,
    metrics,
    async save(dir: string) {
      // Whole or not at all: a stopped save never leaves new weights beside an old encoder.
      await writeFolderAtomic(dir, async (tmp) => {
        await writeFile(join(tmp, 'weights.bin'), files.weights);
        await writeFile(join(tmp, 'encoder.json'), JSON.stringify(encoder, null, 2) + '\n');
        await writeFile(join(tmp, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
        await writeFile(join(tmp, 'model.json'), files.modelJson);
      });
    },
  };
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
