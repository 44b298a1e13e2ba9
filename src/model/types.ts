/**
 * The black-box interface: whatever the network is (a TF.js Layers model, an ONNX file, an HTTP
 * endpoint or a JS function), the toolkit sees it only through these two shapes.
 */
import type { Row, Schema, Target } from '../data/types.js';
import type { EncoderJSON } from '../data/encoder.js';

/** Identity of a model, recorded in every output's provenance. */
export interface ModelIdentity {
  /** `tfjs-layers`, `keras`, `onnx`, `http`, `function`. */
  type: string;
  /** Path or URL it was loaded from (or a name for functions). */
  source: string;
  /** `sha256:...` of the model's files (or of the URL for endpoints, of the source for functions). */
  hash: string;
}

/**
 * A network over encoded input vectors.
 *
 * `predict` takes `n` rows of `inputSize` values (row-major, flat) and resolves to `n` rows of
 * `outputSize` values: class probabilities for classification, values for regression. It batches
 * internally; callers may pass any `n`.
 */
export interface BlackBox {
  readonly task: 'classification' | 'regression';
  readonly inputSize: number;
  readonly outputSize: number;
  readonly identity: ModelIdentity;
  /** Compute backend or engine in use (`wasm`, `tensorflow`, `cpu`, `onnxruntime`, `http`, `js`). */
  readonly backend: string;
  predict(inputs: Float32Array, n: number): Promise<Float32Array>;
  /**
   * Rows one `predict` call runs in one go (the engine's batch, times its calls in flight at
   * once), when the black box cuts larger calls into such batches: a caller that can choose sends
   * at most this many, and its outputs come back without being joined. Absent: no preference.
   */
  readonly batchRows?: number;
  /**
   * Class names aligned with the output columns, when the model file stores them (an ONNX
   * classifier's `ZipMap` or classifier node labels). Absent when the file does not say.
   */
  readonly classes?: readonly string[];
  /** Releases native resources, if any. */
  dispose?(): Promise<void> | void;
  /** What was loaded (format, inputs and outputs, layers or graph), for `distill inspect`. */
  describe?(): ModelDescription;
  /**
   * The network's dense layers, for decompositional extractors. Absent when the weights cannot be
   * read (an HTTP endpoint, a JS function); throws an InputError when the graph is not a plain
   * dense network.
   */
  denseNetwork?(): DenseNetwork;
  /**
   * Gradients of output column `output` with respect to the inputs, for `n` rows (row-major, flat):
   * resolves to `n × inputSize` values, ∂out[i, output] / ∂in[i, j]. Absent when the model exposes
   * no gradients (an HTTP endpoint, a JS function, a graph whose weights cannot be read).
   */
  gradients?(inputs: Float32Array, n: number, output: number): Promise<Float32Array>;
}

/**
 * A black box together with the encoder that turns raw rows (original columns) into its inputs.
 * This is what every sampler, surrogate and metric works with.
 */
export interface TabularModel {
  /** Feature schema of the raw rows the model accepts, and its target (with class names). */
  readonly schema: Schema & { target: Target };
  readonly task: 'classification' | 'regression';
  /** Class names, aligned with output columns (classification only). */
  readonly classes?: string[];
  readonly outputSize: number;
  readonly identity: ModelIdentity;
  readonly backend: string;
  /** Model outputs for raw rows: `rows.length × outputSize`, row-major. */
  predictRows(rows: Row[]): Promise<Float32Array>;
  /** Predicted class index (classification) or value (regression) per row. */
  predictLabels(rows: Row[]): Promise<Float64Array>;
  readonly blackBox: BlackBox;
  /** The encoder from raw rows to the black box's inputs (what decompositional methods map back through). */
  readonly encoder?: EncoderJSON;
  /**
   * How to load this model again elsewhere (a worker thread, another machine): set by `loadModel`,
   * absent for models built around live objects (a JS function, an in-memory tfjs model).
   */
  readonly origin?: ModelOrigin;
  dispose(): Promise<void>;
}

/**
 * Plain data from which {@link reloadModel} rebuilds a model loaded by `loadModel`: the spec (a
 * path or URL), the encoder as used (saved or derived from data), and the load options. This, not
 * the live model, is what goes to worker threads and queue workers.
 */
export interface ModelOrigin {
  /** Folder, model.json, .onnx file or http(s) URL, as given to `loadModel`. */
  spec: string;
  /** `tfjs-layers`, `keras` (a .keras or .h5 file), `onnx` or `http`. */
  kind: 'tfjs-layers' | 'keras' | 'onnx' | 'http';
  encoder: EncoderJSON;
  task: 'classification' | 'regression';
  /** The identity recorded in outputs (kept when the files are loaded from another place). */
  identity: ModelIdentity;
  /** TF.js backend actually in use (so that a worker computes with the same one). */
  backend?: string;
  batchSize?: number;
  timeoutMs?: number;
  retries?: number;
  http?: HttpLimits;
}

/** Limits on an HTTP endpoint's replies (see `HttpBlackBoxOptions`). */
export interface HttpLimits {
  /** Largest reply body in bytes, after decompression. */
  maxReplyBytes?: number;
  /** Milliseconds all calls may take together. */
  deadlineMs?: number;
  /** `probabilities` (checked) or `scores` (logits, turned into probabilities). */
  outputs?: 'probabilities' | 'scores';
}

/** Activation of a dense layer, as the decompositional extractors read it. */
export type DenseActivation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax';

/** One fully connected layer: `out = activation(in · weights + biases)`. */
export interface DenseLayer {
  inputSize: number;
  outputSize: number;
  /** `inputSize × outputSize`, row-major: weight from input i to unit j at `i * outputSize + j`. */
  weights: Float64Array;
  biases: Float64Array;
  activation: DenseActivation;
}

/**
 * A plain feed-forward network of dense layers over the encoded inputs, as read from a Layers
 * model or a dense ONNX graph. What CRED, DeepRED and MofN decompose.
 */
export interface DenseNetwork {
  layers: DenseLayer[];
}

/** A tensor the model takes or gives, as `distill inspect` shows it. */
export interface TensorInfo {
  name: string;
  /** Dimensions: a number, or the name of a free dimension (`batch`, `N`), or null when unknown. */
  shape: (number | string | null)[];
  /** Element type (`float32`, `int64`, `string`), or a description of a non-tensor value (`sequence<map<string, float32>>`). */
  type: string;
  /** What the toolkit does with it, e.g. `read: class probabilities`, `not read: predicted label`. */
  role?: string;
}

/** One layer of a Layers model. */
export interface LayerInfo {
  name: string;
  /** Class name (`Dense`, `BatchNormalization`...). */
  type: string;
  /** Output shape, `null` for the batch dimension. */
  outputShape: (number | null)[];
  params: number;
  activation?: string;
}

/** What an adapter loaded, in plain data (see {@link BlackBox.describe}). */
export interface ModelDescription {
  /** The file format: `TF.js Layers`, `Keras 3 (.keras)`, `Keras HDF5 (.h5)`, `ONNX`... */
  format: string;
  /** Who wrote the file, when it says (`keras 3.6.0`, `skl2onnx 1.17.0`, `pytorch 2.4.0`). */
  producer?: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  /** Layers of a Layers model, in order. */
  layers?: LayerInfo[];
  /** Summary of an ONNX graph. */
  graph?: {
    nodes: number;
    /** Node count per operator, e.g. `{ MatMul: 2, Add: 2, Relu: 1, Softmax: 1 }` (domain-qualified outside the default domain). */
    ops: Record<string, number>;
    /** Operator set version per domain (`''` is the default ONNX domain). */
    opsets: Record<string, number>;
    /** Values stored in the graph's initializers. */
    params: number;
  };
  /** Facts worth knowing about how the model is read (where class names came from, which output is used). */
  notes: string[];
}
