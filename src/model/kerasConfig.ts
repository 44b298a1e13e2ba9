/**
 * Translating a Keras model config (Keras 3's `config.json` in a `.keras` file, or the
 * `model_config` attribute of a Keras 2 HDF5 file) into the Keras JSON that TF.js's Layers API
 * reads (`modelTopology`), layer by layer from a table of the layers both run the same way.
 *
 * Keras 3 wraps every object as `{module, class_name, config, registered_name}`, writes dtypes as
 * `DTypePolicy` objects, input shapes as `batch_shape`, and a functional layer's inputs as
 * `{args: [__keras_tensor__...], kwargs}`; TF.js reads Keras 2's form (`batch_input_shape`, nested
 * `[[layer, node, tensor, {}]]` lists). Only the settings that change what a layer computes are
 * carried over; initialisers become zeros (the saved weights replace them), so that building the
 * model draws no random numbers. Written here because no installed library reads Keras configs
 * (the TensorFlow.js converter is a Python tool).
 */
import { InputError } from '../util/errors.js';
import { checkModelConfigSize } from './modelLimits.js';

/** One layer of the Keras model, as the weights loader needs it. */
export interface KerasLayerInfo {
  name: string;
  className: string;
  /**
   * Where a Keras 3 weights file keeps the layer's variables: `layers/` + the snake-case class name,
   * numbered from the second layer of a class on (`dense`, `dense_1`, `batch_normalization`...).
   */
  weightsKey: string;
}

/** A Keras model config made ready for TF.js. */
export interface KerasTopology {
  /** `Sequential` or `Functional`. */
  kind: 'Sequential' | 'Functional';
  name: string;
  /** The model as TF.js's Layers JSON, for `tf.models.modelFromJSON({ modelTopology })`. */
  modelTopology: Record<string, unknown>;
  /** Every layer, in the order of Keras's `model.layers` (a Sequential model's InputLayer left out). */
  layers: KerasLayerInfo[];
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Keras's `naming.to_snake_case`: `BatchNormalization` → `batch_normalization`, `PReLU` → `p_re_lu`. */
export function kerasSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Keras activation names and the TF.js activation computing the same function. */
const ACTIVATIONS: Record<string, string> = {
  linear: 'linear',
  relu: 'relu',
  relu6: 'relu6',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  log_softmax: 'logSoftmax',
  tanh: 'tanh',
  elu: 'elu',
  selu: 'selu',
  softplus: 'softplus',
  softsign: 'softsign',
  swish: 'swish',
  silu: 'swish',
  mish: 'mish',
  gelu: 'gelu',
};

const ZEROS = { class_name: 'Zeros', config: {} };
const ONES = { class_name: 'Ones', config: {} };

/** Where a layer is, for messages. */
interface At {
  source: string;
  path: string;
  layer: string;
  className: string;
}

class Reader {
  constructor(
    private readonly c: Json,
    private readonly at: At,
  ) {}

  private fail(key: string, what: string): InputError {
    return new InputError(`layer "${this.at.layer}" (${this.at.className}): ${what}`, { file: this.at.source, path: `${this.at.path}.config.${key}` });
  }

  unsupported(why: string): InputError {
    return new InputError(`layer "${this.at.layer}" (${this.at.className}) cannot be loaded: ${why}`, { file: this.at.source, path: `${this.at.path}.config` });
  }

  number(key: string, fallback?: number): number {
    const v = this.c[key];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw this.fail(key, `expected a number for "${key}"`);
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.fail(key, `expected a number for "${key}", got ${JSON.stringify(v)}`);
    return v;
  }

  positiveInt(key: string): number {
    const v = this.number(key);
    if (!Number.isInteger(v) || v < 1) throw this.fail(key, `expected a positive integer for "${key}", got ${v}`);
    return v;
  }

  bool(key: string, fallback: boolean): boolean {
    const v = this.c[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw this.fail(key, `expected true or false for "${key}", got ${JSON.stringify(v)}`);
    return v;
  }

  /** A feature axis of a 2-D input: -1 or 1 (alone or in a one-element list). */
  featureAxis(key: string): number {
    let v = this.c[key];
    if (Array.isArray(v) && v.length === 1) v = v[0];
    if (v === undefined || v === null) return -1;
    if (v !== -1 && v !== 1) throw this.unsupported(`${key} ${JSON.stringify(this.c[key])} (only the last axis of [batch, features] inputs is supported)`);
    return -1;
  }

  /** Settings that must keep their default for the layer to compute what TF.js computes. */
  requireDefault(key: string, ok: (v: unknown) => boolean, why: string): void {
    const v = this.c[key];
    if (v !== undefined && !ok(v)) throw this.unsupported(`${key} ${JSON.stringify(v)} (${why})`);
  }

  activation(key = 'activation'): string {
    let v = this.c[key];
    // Keras 3 may serialise a built-in activation as an object whose config is its name.
    if (isObject(v)) v = typeof v.config === 'string' ? v.config : isObject(v.config) && typeof v.config.name === 'string' ? v.config.name : v.class_name;
    if (v === undefined || v === null) return 'linear';
    if (typeof v !== 'string') throw this.fail(key, `expected an activation name, got ${JSON.stringify(this.c[key])}`);
    const name = v.replace(/^keras\.activations\./, '');
    const tfjs = ACTIVATIONS[name];
    if (!tfjs) throw this.unsupported(`activation "${name}" is not one TF.js computes the same way (supported: ${Object.keys(ACTIVATIONS).join(', ')})`);
    return tfjs;
  }
}

/** Per supported Keras class: the TF.js class and its config built from the Keras one. */
const LAYERS: Record<string, { tfjs?: string; config(r: Reader): Json }> = {
  Dense: {
    config(r) {
      r.requireDefault('lora_rank', (v) => v === null, 'LoRA-adapted layers are not supported');
      r.requireDefault('quantization_config', (v) => v === null, 'quantized layers are not supported');
      return { units: r.positiveInt('units'), activation: r.activation(), use_bias: r.bool('use_bias', true), kernel_initializer: ZEROS, bias_initializer: ZEROS };
    },
  },
  Activation: { config: (r) => ({ activation: r.activation() }) },
  Dropout: { config: (r) => ({ rate: r.number('rate', 0) }) },
  AlphaDropout: { config: (r) => ({ rate: r.number('rate', 0) }) },
  GaussianDropout: { config: (r) => ({ rate: r.number('rate', 0) }) },
  GaussianNoise: { config: (r) => ({ stddev: r.number('stddev', 0) }) },
  Flatten: { config: () => ({}) },
  BatchNormalization: {
    config(r) {
      r.requireDefault('renorm', (v) => v === false, 'batch renormalisation is not supported');
      return {
        axis: r.featureAxis('axis'),
        momentum: r.number('momentum', 0.99),
        epsilon: r.number('epsilon', 1e-3),
        center: r.bool('center', true),
        scale: r.bool('scale', true),
        beta_initializer: ZEROS,
        gamma_initializer: ONES,
        moving_mean_initializer: ZEROS,
        moving_variance_initializer: ONES,
      };
    },
  },
  LayerNormalization: {
    config(r) {
      r.requireDefault('rms_scaling', (v) => v === false, 'RMS scaling is not supported');
      return { axis: r.featureAxis('axis'), epsilon: r.number('epsilon', 1e-3), center: r.bool('center', true), scale: r.bool('scale', true), beta_initializer: ZEROS, gamma_initializer: ONES };
    },
  },
  ReLU: {
    config(r) {
      r.requireDefault('negative_slope', (v) => v === 0 || v === null, 'only a zero negative slope is supported; use LeakyReLU');
      r.requireDefault('threshold', (v) => v === 0 || v === null, 'only a zero threshold is supported');
      const max = r.number('max_value', Infinity);
      return max === Infinity ? {} : { max_value: max };
    },
  },
  LeakyReLU: {
    // Keras 3 calls the slope `negative_slope`, Keras 2 `alpha`.
    config: (r) => ({ alpha: r.number('negative_slope', r.number('alpha', 0.3)) }),
  },
  ELU: {
    config(r) {
      r.requireDefault('alpha', (v) => v === 1, 'TF.js computes ELU with alpha 1 only');
      return {};
    },
  },
  Softmax: { config: (r) => ({ axis: r.featureAxis('axis') }) },
  PReLU: {
    config(r) {
      r.requireDefault('shared_axes', (v) => v === null, 'shared axes are not supported');
      return { alpha_initializer: ZEROS };
    },
  },
  Concatenate: { config: (r) => ({ axis: r.featureAxis('axis') }) },
  Add: { config: () => ({}) },
  Multiply: { config: () => ({}) },
  Average: { config: () => ({}) },
  Maximum: { config: () => ({}) },
  Minimum: { config: () => ({}) },
};

/** Class names of the layers a Keras model may use (besides InputLayer). */
export const SUPPORTED_KERAS_LAYERS: readonly string[] = Object.keys(LAYERS);

/** Numbers Keras 3 weight-file keys per class, as `_save_container_state` does. */
function weightsKeys(): (className: string) => string {
  const used = new Map<string, number>();
  return (className) => {
    const base = kerasSnakeCase(className);
    const k = used.get(base);
    used.set(base, k === undefined ? 0 : k + 1);
    return `layers/${k === undefined ? base : `${base}_${k + 1}`}`;
  };
}

function layerName(entry: Json, fallback: string): string {
  const n = entry.name ?? (isObject(entry.config) ? entry.config.name : undefined);
  return typeof n === 'string' && n ? n : fallback;
}

/** A Keras shape `[null, 4]` as TF.js wants it, or `undefined` when `v` is not a shape. */
function shape(v: unknown): (number | null)[] | undefined {
  if (!Array.isArray(v) || !v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d) && d > 0))) return undefined;
  return v as (number | null)[];
}

/** The batch input shape an InputLayer config (Keras 3 `batch_shape`, Keras 2 `batch_input_shape`, or `shape`) gives. */
function inputShape(c: Json): (number | null)[] | undefined {
  const s = shape(c.batch_shape) ?? shape(c.batch_input_shape);
  if (s) return s;
  const inner = shape(c.shape) ?? shape(c.input_shape);
  return inner ? [null, ...inner] : undefined;
}

function translateInput(entry: Json, at: At): Json {
  const c = isObject(entry.config) ? entry.config : {};
  const batchInputShape = inputShape(c);
  if (!batchInputShape) throw new InputError(`input layer "${at.layer}" has no input shape`, { file: at.source, path: `${at.path}.config` });
  if (c.sparse === true || c.ragged === true) throw new InputError(`input layer "${at.layer}" takes sparse or ragged tensors, which cannot be fed from a table`, { file: at.source, path: `${at.path}.config` });
  return { name: at.layer, batch_input_shape: batchInputShape, dtype: 'float32', sparse: false };
}

function translateLayer(entry: Json, at: At): { class_name: string; config: Json } {
  const spec = Object.hasOwn(LAYERS, at.className) ? LAYERS[at.className] : undefined;
  if (!spec) {
    const nested = at.className === 'Sequential' || at.className === 'Functional' || at.className === 'Model' ? ' (a nested model)' : '';
    throw new InputError(`layer "${at.layer}" (${at.className})${nested} is not supported; the layers that can be loaded: InputLayer, ${SUPPORTED_KERAS_LAYERS.join(', ')}`, {
      file: at.source,
      path: at.path,
    });
  }
  const c = isObject(entry.config) ? entry.config : {};
  const config: Json = { name: at.layer, trainable: false, dtype: 'float32', ...spec.config(new Reader(c, at)) };
  // A Sequential model's first layer may carry the input shape itself (Keras 2 without InputLayer).
  const s = shape(c.batch_input_shape) ?? shape(c.batch_shape);
  if (s) config.batch_input_shape = s;
  return { class_name: spec.tfjs ?? at.className, config };
}

/** `[layer, node, tensor]` of a Keras 3 `__keras_tensor__` or a Keras 2 `[layer, node, tensor, kwargs]` reference. */
function tensorRef(v: unknown): [string, number, number] | null {
  if (isObject(v) && v.class_name === '__keras_tensor__' && isObject(v.config)) return tensorRef(v.config.keras_history);
  if (Array.isArray(v) && v.length >= 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number') return [v[0], v[1], v[2]];
  return null;
}

/** Every tensor reference in a (nested) structure, in order. */
function tensorRefs(v: unknown, out: [string, number, number][] = []): [string, number, number][] {
  const r = tensorRef(v);
  if (r) out.push(r);
  else if (Array.isArray(v)) for (const x of v) tensorRefs(x, out);
  else if (isObject(v) && v.class_name !== '__keras_tensor__') for (const x of Object.values(v)) tensorRefs(x, out);
  return out;
}

/** A functional layer's inbound nodes in Keras 2's form `[[[layer, node, tensor, {}], ...], ...]`. */
function inboundNodes(v: unknown, at: At): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InputError(`layer "${at.layer}": expected "inbound_nodes" to be a list`, { file: at.source, path: `${at.path}.inbound_nodes` });
  return v.map((node, k) => {
    // Keras 3: {args, kwargs}; tensors passed by keyword (other than masks) are not supported.
    const args = isObject(node) ? node.args : node;
    if (isObject(node) && tensorRefs(node.kwargs ?? {}).length) {
      throw new InputError(`layer "${at.layer}" (${at.className}) is called with tensors as keyword arguments, which cannot be loaded`, {
        file: at.source,
        path: `${at.path}.inbound_nodes[${k}].kwargs`,
      });
    }
    const refs = tensorRefs(args);
    if (!refs.length) throw new InputError(`layer "${at.layer}": inbound node ${k} names no input tensor`, { file: at.source, path: `${at.path}.inbound_nodes[${k}]` });
    return refs.map(([l, n, t]) => [l, n, t, {}]);
  });
}

/** `input_layers` / `output_layers`: one `[layer, node, tensor]` (Keras 3 for a single tensor) or a list of them. */
function endpoints(v: unknown, key: string, source: string): [string, number, number][] {
  const one = tensorRef(v);
  if (one) return [one];
  if (!Array.isArray(v) || !v.length) throw new InputError(`expected a list of [layer, node, tensor] in "${key}"`, { file: source, path: `$.config.${key}` });
  return v.map((x, i) => {
    const r = tensorRef(x);
    if (!r) throw new InputError(`expected [layer, node, tensor], got ${JSON.stringify(x)}`, { file: source, path: `$.config.${key}[${i}]` });
    return r;
  });
}

/**
 * Translates a Keras model config into TF.js's Layers JSON.
 *
 * @param config the parsed `config.json` (Keras 3) or `model_config` attribute (Keras 2).
 * @param source the file, for messages.
 * @throws InputError for a model that is neither Sequential nor functional (a subclassed model has no
 *   config to rebuild it from), a layer outside {@link SUPPORTED_KERAS_LAYERS} (naming its class and
 *   name), a setting TF.js computes differently, a malformed config (with a JSON path), or one
 *   too large to build (more than 1000 layers, nesting deeper than 100: see modelLimits.ts).
 * @example
 * const t = kerasTopology(JSON.parse(configJson), 'model.keras');
 * t.layers.map((l) => l.weightsKey); // ['layers/dense', 'layers/dense_1']
 * const model = await tf.models.modelFromJSON({ modelTopology: t.modelTopology });
 */
export function kerasTopology(config: unknown, source: string): KerasTopology {
  if (!isObject(config) || typeof config.class_name !== 'string') throw new InputError('expected a Keras model config with "class_name" and "config"', { file: source, path: '$' });
  checkModelConfigSize(config, source, '$');
  const cls = config.class_name;
  const body = config.config;
  // Keras 2.2 wrote a Sequential config as the bare list of layers.
  const inner: Json = Array.isArray(body) ? { layers: body } : isObject(body) ? body : {};
  const name = typeof inner.name === 'string' ? inner.name : cls.toLowerCase();
  if (!Array.isArray(inner.layers)) {
    if (cls !== 'Sequential' && cls !== 'Functional' && cls !== 'Model') {
      throw new InputError(`the model is a ${cls}, not a Sequential or functional model: a subclassed model has no config to rebuild it from (save it as a functional model)`, { file: source, path: '$.class_name' });
    }
    throw new InputError('expected "layers": a list', { file: source, path: '$.config.layers' });
  }
  const entries = inner.layers as unknown[];
  const key = weightsKeys();
  const layers: KerasLayerInfo[] = [];
  const at = (i: number, entry: Json, className: string): At => ({ source, path: `$.config.layers[${i}]`, layer: layerName(entry, `layer_${i}`), className });
  const classOf = (entry: unknown, i: number): string => {
    if (!isObject(entry) || typeof entry.class_name !== 'string') throw new InputError('expected a layer with "class_name"', { file: source, path: `$.config.layers[${i}]` });
    return entry.class_name;
  };

  if (cls === 'Sequential') {
    const out: unknown[] = [];
    entries.forEach((raw, i) => {
      const className = classOf(raw, i);
      const entry = raw as Json;
      const where = at(i, entry, className);
      if (className === 'InputLayer') {
        if (i !== 0) throw new InputError(`input layer "${where.layer}" is not the first layer`, { file: source, path: where.path });
        out.push({ class_name: 'InputLayer', config: translateInput(entry, where) });
        return;
      }
      out.push(translateLayer(entry, where));
      layers.push({ name: where.layer, className, weightsKey: key(className) });
    });
    const first = out[0] as { class_name: string; config: Json } | undefined;
    if (!first) throw new InputError('the model has no layers', { file: source, path: '$.config.layers' });
    if (first.class_name !== 'InputLayer' && !first.config.batch_input_shape) {
      // Keras 3 without InputLayer: the shape the model was built with.
      const build = isObject(config.build_config) ? config.build_config.input_shape : undefined;
      const firstBuild = isObject((entries[0] as Json).build_config) ? ((entries[0] as Json).build_config as Json).input_shape : undefined;
      const s = shape(inner.build_input_shape) ?? shape(build) ?? shape(firstBuild);
      if (!s) throw new InputError('the model was saved before it was built: its input shape is unknown (call it on data, or give it an Input, before saving)', { file: source, path: '$.config' });
      first.config.batch_input_shape = s;
    }
    return { kind: 'Sequential', name, layers, modelTopology: { class_name: 'Sequential', config: { name, layers: out } } };
  }

  if (cls !== 'Functional' && cls !== 'Model') {
    throw new InputError(`the model is a ${cls}, not a Sequential or functional model: a subclassed model has no config to rebuild it from (save it as a functional model)`, { file: source, path: '$.class_name' });
  }
  const out = entries.map((raw, i) => {
    const className = classOf(raw, i);
    const entry = raw as Json;
    const where = at(i, entry, className);
    layers.push({ name: where.layer, className, weightsKey: key(className) });
    const translated = className === 'InputLayer' ? { class_name: 'InputLayer', config: translateInput(entry, where) } : translateLayer(entry, where);
    return { ...translated, name: where.layer, inbound_nodes: className === 'InputLayer' ? [] : inboundNodes(entry.inbound_nodes, where) };
  });
  const io = (k: string) => endpoints(inner[k], k, source);
  return {
    kind: 'Functional',
    name,
    layers,
    modelTopology: { class_name: 'Functional', config: { name, layers: out, input_layers: io('input_layers'), output_layers: io('output_layers') } },
  };
}
