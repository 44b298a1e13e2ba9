/**
 * TF.js Layers models: reading `model.json` and its weight shards from disk (as `tfjs.save` and
 * the TensorFlow.js converter for Keras models write them), the black-box adapter (with gradients
 * by tfjs autodiff), and the dense network view for decompositional methods.
 *
 * The files are read here by hand (and handed to `tf.io.fromMemory`) because tfjs's `file://`
 * handler exists only in tfjs-node, which is optional and may not load.
 */
import * as tf from '@tensorflow/tfjs';
import { basename, dirname } from 'node:path';
import { InputError } from '../util/errors.js';
import { MAX_MODEL_FILE_BYTES, MAX_MODEL_JSON_BYTES, formatBytes, openModelFile, readModelFile, readRegularFile, type ModelFile } from '../util/files.js';
import { parseJsonText } from '../util/json.js';
import { checkModelConfigSize } from './modelLimits.js';
import { resolveModelJson } from './resolveModelJson.js';
import { batchedBlackBox } from './batchedBlackBox.js';
import { sha256Of } from './outputs.js';
import type { BlackBox, DenseActivation, DenseLayer, DenseNetwork, ModelDescription } from './types.js';

/** Bytes per stored value of each weight dtype (quantized weights use their quantization dtype). */
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}

/** The files of a Layers model read from disk, ready for `tf.io.fromMemory`. */
export interface LayersModelFiles {
  /** Path of model.json. */
  modelJsonPath: string;
  artifacts: tf.io.ModelArtifacts;
  /** `sha256:` of model.json followed by the shards in manifest order. */
  hash: string;
}

/**
 * Reads `model.json` and every weight shard it lists. The model folder is untrusted: each shard is
 * read only from inside it (no absolute path, no `..`, no symbolic link leading out), only when it
 * is a regular file, and only after the shards' sizes were checked against the weights manifest.
 *
 * @param spec a folder holding `model.json`, or the path of `model.json`.
 * @throws InputError for unreadable model.json, invalid JSON (with line and column), a malformed
 *   model (with a JSON path), more than 1000 layers (see modelLimits.ts), a shard path that leaves the
 *   folder (naming the JSON path), a missing or special shard, or shards whose byte count differs
 *   from the manifest (naming the shard file).
 * @example
 * const files = await readLayersModelFiles('models/iris');
 * const model = await tf.loadLayersModel(tf.io.fromMemory(files.artifacts));
 */
export async function readLayersModelFiles(spec: string): Promise<LayersModelFiles> {
  const modelJsonPath = await resolveModelJson(spec);
  const dir = dirname(modelJsonPath);
  // model.json found in a folder is one of the folder's files; a model.json the user named is read as named.
  const bytes =
    modelJsonPath !== spec
      ? await readModelFile(dir, basename(modelJsonPath), { what: 'model file', at: { file: spec }, maxBytes: MAX_MODEL_JSON_BYTES })
      : await readRegularFile(modelJsonPath, { what: 'a model.json file', maxBytes: MAX_MODEL_JSON_BYTES });
  const text = new TextDecoder().decode(bytes);
  const json = parseJsonText(text, modelJsonPath) as Record<string, unknown>;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new InputError('expected a JSON object', { file: modelJsonPath });
  const topology = json.modelTopology;
  if (topology === null || typeof topology !== 'object') {
    throw new InputError('no modelTopology: not a TF.js Layers model (a graph model from the converter cannot be read)', {
      file: modelJsonPath,
      path: '$.modelTopology',
    });
  }
  checkModelConfigSize(topology, modelJsonPath, '$.modelTopology');
  const manifest = json.weightsManifest ?? [];
  if (!Array.isArray(manifest)) throw new InputError('expected an array', { file: modelJsonPath, path: '$.weightsManifest' });
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  let listed = 0;
  for (let g = 0; g < manifest.length; g++) {
    const group = manifest[g] as { paths?: unknown; weights?: unknown };
    const at = `$.weightsManifest[${g}]`;
    if (!Array.isArray(group?.paths) || !group.paths.every((p) => typeof p === 'string')) {
      throw new InputError('expected "paths": an array of file names', { file: modelJsonPath, path: `${at}.paths` });
    }
    if (!Array.isArray(group.weights)) throw new InputError('expected "weights": an array', { file: modelJsonPath, path: `${at}.weights` });
    const entries = group.weights as WeightEntry[];
    const bounds: number[] = [0];
    let expected = 0;
    entries.forEach((w, i) => {
      const where = { file: modelJsonPath, path: `${at}.weights[${i}]` };
      if (!w || typeof w.name !== 'string' || !Array.isArray(w.shape) || typeof w.dtype !== 'string') throw new InputError('expected {name, shape, dtype}', where);
      if (!w.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new InputError(`expected a shape of non-negative integers, got ${JSON.stringify(w.shape).slice(0, 60)}`, where);
      const dt = w.quantization?.dtype ?? w.dtype;
      const size = DTYPE_BYTES[dt];
      if (size === undefined) throw new InputError(`unsupported weight dtype "${dt}"`, where);
      expected += w.shape.reduce((a, b) => a * b, 1) * size;
      bounds.push(expected);
      specs.push(w as tf.io.WeightsManifestEntry);
    });
    listed += expected;
    if (listed > MAX_MODEL_FILE_BYTES) {
      throw new InputError(`the weights manifest lists ${formatBytes(listed)} of weights, over the ${formatBytes(MAX_MODEL_FILE_BYTES)} limit`, { file: modelJsonPath, path: `${at}.weights` });
    }
    const paths = group.paths as string[];
    // Open and size every shard of the group before reading any.
    const shards: ModelFile[] = [];
    try {
      for (let k = 0; k < paths.length; k++) {
        shards.push(await openModelFile(dir, paths[k], { what: 'weight file', at: { file: modelJsonPath, path: `${at}.paths[${k}]` } }));
      }
      const sizes = shards.map((f) => f.size);
      const total = sizes.reduce((a, b) => a + b, 0);
      if (total !== expected) {
        const bad = shards[findBadShard(sizes, bounds, expected)];
        throw new InputError(
          `weight shard ${total < expected ? 'truncated' : 'too long'}: the ${paths.length} shard(s) of weight group ${g + 1} hold ${total} bytes, ${basename(modelJsonPath)} lists ${expected}`,
          { file: bad.path },
        );
      }
      for (const f of shards) buffers.push(await f.read());
    } finally {
      await Promise.all(shards.map((f) => f.close()));
    }
  }
  const weightData = concat(buffers);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: topology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: specs,
    weightData: weightData.buffer as ArrayBuffer,
    format: typeof json.format === 'string' ? json.format : undefined,
    generatedBy: typeof json.generatedBy === 'string' ? json.generatedBy : undefined,
    convertedBy: typeof json.convertedBy === 'string' ? json.convertedBy : undefined,
  };
  return { modelJsonPath, artifacts, hash: sha256Of(text, ...buffers) };
}

/** The TensorFlow.js converter's default shard size (`--weight_shard_size_bytes`). */
const CONVERTER_SHARD_BYTES = 4 * 1024 * 1024;

/**
 * Which shard of a group is at fault when the byte count is off. Writers cut a group either into
 * equal chunks (the converter: 4 MiB by default) or at weight boundaries, so a shard before the
 * last is plausible when it ends on a weight boundary, has the converter's size, or (with three
 * or more shards) the size most of the others have. The first implausible shard is blamed, else
 * the last one.
 */
function findBadShard(shards: number[], bounds: number[], expected: number): number {
  const counts = new Map<number, number>();
  for (const size of shards.slice(0, -1)) counts.set(size, (counts.get(size) ?? 0) + 1);
  let mode = -1;
  for (const [size, c] of counts) if (c > (counts.get(mode) ?? 0) || (c === counts.get(mode) && size > mode)) mode = size;
  const boundaries = new Set(bounds);
  let end = 0;
  for (let i = 0; i < shards.length - 1; i++) {
    const size = shards[i];
    end += size;
    const plausible = size > 0 && end <= expected && (boundaries.has(end) || size === CONVERTER_SHARD_BYTES || (shards.length >= 3 && size === mode));
    if (!plausible) return i;
  }
  return shards.length - 1;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Loads a Layers model from a folder or a model.json path (the backend must be initialised).
 *
 * @throws InputError as {@link readLayersModelFiles}, or when tfjs rejects the topology or weights.
 * @example
 * const { model, hash } = await readLayersModel('models/iris/model.json');
 */
export async function readLayersModel(spec: string): Promise<{ model: tf.LayersModel; hash: string; source: string; producer?: string }> {
  const files = await readLayersModelFiles(spec);
  try {
    const model = await tf.loadLayersModel(tf.io.fromMemory(files.artifacts));
    const { generatedBy, convertedBy } = files.artifacts;
    const producer = [generatedBy, convertedBy && `converted by ${convertedBy}`].filter(Boolean).join(', ') || undefined;
    return { model, hash: files.hash, source: files.modelJsonPath, producer };
  } catch (e) {
    throw new InputError(`cannot load the Layers model: ${oneLine((e as Error).message)}`, { file: files.modelJsonPath });
  }
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, 300);
}

function layerActivation(layer: tf.layers.Layer): string {
  const a = (layer.getConfig() as { activation?: unknown }).activation;
  return typeof a === 'string' ? a : 'linear';
}

/** Rows per predict call into tfjs: bounds the size of one input tensor. */
const CHUNK_ROWS = 1 << 17;

/** How a Layers model came to be, for its identity and description. */
export interface LayersOrigin {
  /** Path it was read from (default: the model's name). */
  source?: string;
  /** `sha256:` of its files (default: of its topology). */
  hash?: string;
  /** Identity type (default `tfjs-layers`; `keras` for Keras files read directly). */
  type?: string;
  /** File format for {@link BlackBox.describe} (default `TF.js Layers`). */
  format?: string;
  /** Who wrote the files, when known (`keras 3.6.0`, `TensorFlow.js Converter v4.22.0`). */
  producer?: string;
}

/**
 * Wraps a TF.js Layers model as a {@link BlackBox}. The task is classification when the last layer
 * ends in softmax or sigmoid, else regression; a single sigmoid unit is exposed as two
 * probabilities `[1 - p, p]`. `gradients` come from tfjs autodiff, for any layers tfjs runs.
 *
 * @param opts.batchSize rows per batch inside `model.predict` (default 8192: tfjs's own default of
 *   32 is more than ten times slower).
 * @example
 * const bb = layersBlackBox(model, { source: 'm/model.json', hash });
 * const out = await bb.predict(new Float32Array([5.1, 3.5, 1.4, 0.2]), 1);
 */
export function layersBlackBox(model: tf.LayersModel, opts: LayersOrigin & { batchSize?: number } = {}): BlackBox {
  const inShape = model.inputs[0]?.shape ?? [];
  const outShape = model.outputs[0]?.shape ?? [];
  const source = opts.source ?? model.name;
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || inShape.length !== 2 || outShape.length !== 2) {
    throw new InputError(
      `expected one input of shape [batch, features] and one output of shape [batch, outputs], got inputs ${JSON.stringify(model.inputs.map((t) => t.shape))} and outputs ${JSON.stringify(model.outputs.map((t) => t.shape))}`,
      { file: source },
    );
  }
  const inputSize = inShape[1] as number;
  const rawOut = outShape[1] as number;
  const last = model.layers[model.layers.length - 1];
  const act = layerActivation(last);
  const task = act === 'softmax' || act === 'sigmoid' ? 'classification' : 'regression';
  const batchSize = opts.batchSize ?? 8192;
  return batchedBlackBox({
    task,
    inputSize,
    rawOutputs: rawOut,
    sigmoidPair: act === 'sigmoid' && rawOut === 1,
    identity: { type: opts.type ?? 'tfjs-layers', source, hash: opts.hash ?? sha256Of(JSON.stringify(model.toJSON(null, false))) },
    backend: () => tf.getBackend(),
    engine: 'tfjs',
    batchSize: CHUNK_ROWS,
    async run(inputs, m) {
      const x = tf.tensor2d(inputs, [m, inputSize]);
      const y = model.predict(x, { batchSize }) as tf.Tensor;
      try {
        return (await y.data()) as Float32Array;
      } finally {
        x.dispose();
        y.dispose();
      }
    },
    gradients(inputs, m, output) {
      return layersGradients(model, inputs, m, inputSize, rawOut, output);
    },
    gradientBatchSize: GRADIENT_CHUNK_ROWS,
    dispose() {
      model.dispose();
    },
    denseNetwork() {
      return layersDenseNetwork(model, source);
    },
    describe() {
      return describeLayersModel(model, opts.format ?? 'TF.js Layers', opts.producer, act === 'sigmoid' && rawOut === 1);
    },
  });
}

/**
 * Runs `fn` (synchronous tfjs work) with the wasm backend's BatchMatMul taking its fast path for a
 * transposed right operand. tfjs-backend-wasm sends `matMul(a, b, false, true)` through a generic
 * loop several times slower than the XNNPACK path it takes without transposes (10× for
 * 6500×64 · (64×64)ᵀ here), and the backward pass of every Dense layer is exactly that, dy · Wᵀ.
 * While `fn` runs, the kernel is wrapped to transpose `b` with the backend's Transpose kernel first;
 * `fn` is synchronous, so no other code sees the wrapper, and the kernel is restored before it
 * returns. Other backends run `fn` as it is.
 */
function withFastTransposedMatMul<T>(fn: () => T): T {
  const backendName = tf.getBackend();
  const original = backendName === 'wasm' ? tf.getKernel('BatchMatMul', backendName) : undefined;
  const transpose = original ? tf.getKernel('Transpose', backendName) : undefined;
  if (!original || !transpose) return fn();
  const wrapped: tf.KernelConfig = {
    ...original,
    kernelFunc: (args) => {
      const { inputs, backend, attrs } = args as { inputs: { a: tf.TensorInfo; b: tf.TensorInfo }; backend: { disposeData(id: object): void }; attrs: Record<string, unknown> };
      if (!attrs.transposeB) return original.kernelFunc(args);
      const rank = inputs.b.shape.length;
      const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
      const bt = transpose.kernelFunc({ inputs: { x: inputs.b }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
      try {
        return original.kernelFunc({ inputs: { a: inputs.a, b: bt }, backend: args.backend, attrs: { ...attrs, transposeB: false } });
      } finally {
        backend.disposeData(bt.dataId);
      }
    },
  };
  tf.unregisterKernel('BatchMatMul', backendName);
  tf.registerKernel(wrapped);
  try {
    return fn();
  } finally {
    tf.unregisterKernel('BatchMatMul', backendName);
    tf.registerKernel(original);
  }
}

/** Rows per gradient call into tfjs: the backward pass keeps every layer's activations alive. */
const GRADIENT_CHUNK_ROWS = 1 << 14;

/**
 * ∂out[i, output] / ∂in[i, ·] for `m` rows by tfjs autodiff (`tf.grad` over `model.apply` in
 * inference mode), whatever layers the model has: one backward pass per batch, seeded with the
 * unit vector of `output` on every row.
 */
async function layersGradients(model: tf.LayersModel, inputs: Float32Array, m: number, inputSize: number, outputs: number, output: number): Promise<Float32Array> {
  const seed = new Float32Array(m * outputs);
  for (let i = 0; i < m; i++) seed[i * outputs + output] = 1;
  const g = withFastTransposedMatMul(() =>
    tf.tidy(() => {
      const x = tf.tensor2d(inputs, [m, inputSize]);
      const dy = tf.tensor2d(seed, [m, outputs]);
      return tf.grad((t: tf.Tensor) => model.apply(t, { training: false }) as tf.Tensor)(x, dy);
    }),
  );
  try {
    return (await g.data()) as Float32Array;
  } finally {
    g.dispose();
  }
}

const batchDims = (shape: (number | null)[]) => shape.map((d, i) => (d === null && i === 0 ? 'batch' : d));

/** The layers, inputs and outputs of a Layers model as plain data. */
function describeLayersModel(model: tf.LayersModel, format: string, producer: string | undefined, sigmoidPair: boolean): ModelDescription {
  const shapeOf = (s: unknown): (number | null)[] => (Array.isArray(s) && Array.isArray(s[0]) ? (s[0] as (number | null)[]) : ((s as (number | null)[]) ?? []));
  return {
    format,
    producer,
    inputs: model.inputs.map((t) => ({ name: t.name.replace(/:\d+$/, ''), shape: batchDims(t.shape), type: t.dtype })),
    outputs: model.outputs.map((t) => ({
      name: t.name.replace(/:\d+$/, '').replace(/\/.*$/, ''),
      shape: batchDims(t.shape),
      type: t.dtype,
      role: sigmoidPair ? 'read: one sigmoid probability p, seen as [1 - p, p]' : 'read',
    })),
    layers: model.layers.map((l) => {
      const a = (l.getConfig() as { activation?: unknown }).activation;
      return { name: l.name, type: l.getClassName(), outputShape: shapeOf(l.outputShape), params: l.countParams(), ...(typeof a === 'string' ? { activation: a } : {}) };
    }),
    notes: [],
  };
}

const ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax'];

/** Layers that pass their input through unchanged at prediction time. */
const PASS_THROUGH = new Set(['InputLayer', 'Dropout', 'AlphaDropout', 'GaussianDropout', 'GaussianNoise', 'Flatten']);

/**
 * Reads the dense layers of a Layers model: Dense layers with linear, relu, sigmoid, tanh or
 * softmax activation, in order. InputLayer, Flatten and the dropout and noise layers (identities at
 * prediction time) are skipped; an Activation layer right after a linear Dense layer is folded
 * into it.
 *
 * @throws InputError when the model has any other layer or activation ("not a plain dense network").
 * @example
 * layersDenseNetwork(model).layers.map((l) => l.activation); // ['relu', 'softmax']
 */
export function layersDenseNetwork(model: tf.LayersModel, source = model.name): DenseNetwork {
  const layers: DenseLayer[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (PASS_THROUGH.has(cls)) continue;
    if (cls === 'Activation' && layers.length && layers[layers.length - 1].activation === 'linear') {
      const a = layerActivation(layer);
      if (!ACTIVATIONS.includes(a)) throw notDense(source, `layer "${layer.name}" has activation "${a}"`);
      layers[layers.length - 1].activation = a as DenseActivation;
      continue;
    }
    if (cls !== 'Dense') throw notDense(source, `layer "${layer.name}" is a ${cls}`);
    const a = layerActivation(layer);
    if (!ACTIVATIONS.includes(a)) throw notDense(source, `layer "${layer.name}" has activation "${a}"`);
    const [kernel, bias] = layer.getWeights();
    const [inputSize, outputSize] = kernel.shape as [number, number];
    if (layers.length && layers[layers.length - 1].outputSize !== inputSize) {
      throw notDense(source, `layer "${layer.name}" takes ${inputSize} inputs but the previous layer has ${layers[layers.length - 1].outputSize} units`);
    }
    layers.push({
      inputSize,
      outputSize,
      weights: Float64Array.from(kernel.dataSync()),
      biases: bias ? Float64Array.from(bias.dataSync()) : new Float64Array(outputSize),
      activation: a as DenseActivation,
    });
  }
  if (!layers.length) throw notDense(source, 'it has no Dense layer');
  return { layers };
}

function notDense(source: string, why: string): InputError {
  return new InputError(`the model is not a plain dense network: ${why} (only Dense layers with linear, relu, sigmoid, tanh or softmax activations, plus InputLayer, Flatten and dropout layers, can be decomposed)`, {
    file: source,
  });
}
