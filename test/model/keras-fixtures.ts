/**
 * Keras model files written the way Keras writes them, for the loader's tests:
 * - Keras 3 `.keras`: a stored (uncompressed) zip of `metadata.json`, `config.json` (every object
 *   as `{module, class_name, config, registered_name}`, dtypes as DTypePolicy objects, functional
 *   inputs as `__keras_tensor__` args) and `model.weights.h5` (`layers/<snake-case class>/vars/<i>`,
 *   plus the empty `vars` groups Keras makes for the model and the optimizer's variables);
 * - Keras 2 `.h5`: root attributes `keras_version`, `backend`, `model_config` (JSON as a fixed-length
 *   byte string), group `model_weights` with `layer_names`, one group per layer with
 *   `weight_names` (fixed-length byte strings) and the datasets `<layer>/<layer>/kernel:0`.
 * The HDF5 files are written with h5wasm, the zip with fflate.
 */
import { writeFile } from 'node:fs/promises';
import h5wasm from 'h5wasm';
import { zipSync } from 'fflate';
import { B1, B2, W1, W2, denseConfig } from './fixtures.js';

type Json = Record<string, unknown>;

/** One array to store: a name (or index) and its values with their shape. */
export interface Weight {
  name: string;
  shape: number[];
  values: number[];
}

let counter = 0;

/** Builds an HDF5 file in h5wasm's memory file system and returns its bytes. */
export async function hdf5Bytes(build: (f: InstanceType<typeof h5wasm.File>) => void): Promise<Uint8Array> {
  const { FS } = await h5wasm.ready;
  const path = `/fixture-${process.pid}-${++counter}.h5`;
  const f = new h5wasm.File(path, 'w');
  build(f);
  f.close();
  const fs = FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
  const bytes = fs.readFile(path);
  fs.unlink(path);
  return bytes;
}

/** A group at `path`, creating every missing group along it (as h5py does for `create_dataset('a/b/c')`). */
function group(f: InstanceType<typeof h5wasm.File>, path: string): InstanceType<typeof h5wasm.Group> {
  let g: InstanceType<typeof h5wasm.Group> = f;
  for (const part of path.split('/').filter(Boolean)) {
    g = (g.keys().includes(part) ? g.get(part) : g.create_group(part)) as InstanceType<typeof h5wasm.Group>;
  }
  return g;
}

function dataset(f: InstanceType<typeof h5wasm.File>, path: string, w: Weight): void {
  const cut = path.lastIndexOf('/');
  group(f, path.slice(0, cut)).create_dataset({ name: path.slice(cut + 1), data: Float32Array.from(w.values), shape: w.shape, dtype: '<f' });
}

/** A list of byte strings as numpy writes `np.asarray([b'...'])`: fixed-length, padded to the longest. */
function byteStrings(g: InstanceType<typeof h5wasm.Group>, name: string, items: string[]): void {
  const size = Math.max(1, ...items.map((s) => s.length));
  g.create_attribute(name, items, [items.length], `A${size}`);
}

/** A byte string scalar, as `f.attrs[k] = json.dumps(v).encode('utf8')`. */
function byteString(g: InstanceType<typeof h5wasm.Group>, name: string, text: string): void {
  g.create_attribute(name, text, [], `A${Math.max(1, text.length)}`);
}

const dtypePolicy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const initializer = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: cls === 'GlorotUniform' ? { seed: null } : {}, registered_name: null });

/** A Keras 3 layer entry (`serialize_keras_object` of a layer). */
export function keras3Layer(className: string, config: Json, extra: Json = {}): Json {
  const defaults: Json =
    className === 'Dense'
      ? {
          use_bias: true,
          kernel_initializer: initializer('GlorotUniform'),
          bias_initializer: initializer('Zeros'),
          kernel_regularizer: null,
          bias_regularizer: null,
          kernel_constraint: null,
          bias_constraint: null,
          lora_rank: null,
        }
      : {};
  return { module: 'keras.layers', class_name: className, config: { trainable: true, dtype: dtypePolicy, ...defaults, ...config }, registered_name: null, ...extra };
}

/** A Keras 3 functional inbound node: `{args: [tensor or [tensors]], kwargs: {}}`. */
export function keras3Call(...from: [layer: string, shape: (number | null)[]][]): Json[] {
  const tensor = ([layer, shape]: [string, (number | null)[]]) => ({ class_name: '__keras_tensor__', config: { shape, dtype: 'float32', keras_history: [layer, 0, 0] } });
  return [{ args: [from.length === 1 ? tensor(from[0]) : from.map(tensor)], kwargs: {} }];
}

/**
 * Writes a Keras 3 `.keras` file.
 *
 * @param model the model's `config` (class_name Sequential or Functional, with its layers).
 * @param vars per weights key (`layers/dense`), the layer's variables in order.
 * @param opts.omitEntries archive entries to leave out (e.g. `model.weights.h5`).
 */
export async function writeKeras3(path: string, model: Json, vars: Record<string, (number[] | Weight)[]>, opts: { omitEntries?: string[] } = {}): Promise<void> {
  const config = { module: 'keras', ...model, registered_name: null, compile_config: null };
  const weights = await hdf5Bytes((f) => {
    f.create_group('vars');
    for (const [key, list] of Object.entries(vars)) {
      const g = group(f, `${key}/vars`);
      list.forEach((w, i) => {
        const weight = Array.isArray(w) ? { name: String(i), shape: [w.length], values: w } : w;
        g.create_dataset({ name: String(i), data: Float32Array.from(weight.values), shape: weight.shape, dtype: '<f' });
      });
    }
    group(f, 'optimizer/vars');
  });
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const entries: Record<string, Uint8Array> = {
    'metadata.json': enc({ keras_version: '3.6.0', date_saved: '2026-01-01@00:00:00' }),
    'config.json': enc(config),
    'model.weights.h5': weights,
  };
  for (const e of opts.omitEntries ?? []) delete entries[e];
  await writeFile(path, zipSync(entries, { level: 0 }));
}

/** The fixture network (3 → 2 relu → 2 softmax) as a Keras 3 Sequential config and its variables. */
export function keras3Sequential(): { model: Json; vars: Record<string, Weight[]> } {
  return {
    model: {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        trainable: true,
        dtype: dtypePolicy,
        layers: [
          keras3Layer('InputLayer', { batch_shape: [null, 3], dtype: 'float32', sparse: false, name: 'input_layer' }),
          keras3Layer('Dense', { name: 'dense', units: 2, activation: 'relu' }, { build_config: { input_shape: [null, 3] } }),
          keras3Layer('Dense', { name: 'dense_1', units: 2, activation: 'softmax' }, { build_config: { input_shape: [null, 2] } }),
        ],
        build_input_shape: [null, 3],
      },
      build_config: { input_shape: [null, 3] },
    },
    vars: {
      'layers/dense': [
        { name: '0', shape: [3, 2], values: W1 },
        { name: '1', shape: [2], values: B1 },
      ],
      'layers/dense_1': [
        { name: '0', shape: [2, 2], values: W2 },
        { name: '1', shape: [2], values: B2 },
      ],
    },
  };
}

/** A Keras 2 Sequential `model_config` of the fixture network, as tf.keras 2.15 writes it. */
export function keras2SequentialConfig(extraLayer?: Json): Json {
  const dense = denseConfig;
  return {
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'dense_input' } },
        dense('dense', 2, 'relu'),
        ...(extraLayer ? [extraLayer] : []),
        dense('dense_1', 2, 'softmax'),
      ],
    },
  };
}

/**
 * Writes a Keras 2 HDF5 model file (`model.save('model.h5')` in tf.keras 2.x).
 *
 * @param layers per layer (in `model.layers` order) its name and weights (`dense/kernel:0`...).
 * @param opts.chunked store `layer_names` and `weight_names` split in two (`weight_names0`,
 *   `weight_names1`), as Keras does for attributes over 64 KB.
 */
export async function writeKeras2(path: string, modelConfig: Json, layers: { name: string; weights: Weight[] }[], opts: { chunked?: boolean } = {}): Promise<void> {
  const names = (g: InstanceType<typeof h5wasm.Group>, name: string, items: string[]) => {
    if (!opts.chunked || items.length < 2) return byteStrings(g, name, items);
    const cut = Math.ceil(items.length / 2);
    byteStrings(g, `${name}0`, items.slice(0, cut));
    byteStrings(g, `${name}1`, items.slice(cut));
  };
  const bytes = await hdf5Bytes((f) => {
    byteString(f, 'keras_version', '2.15.0');
    byteString(f, 'backend', 'tensorflow');
    byteString(f, 'model_config', JSON.stringify(modelConfig));
    byteString(f, 'training_config', JSON.stringify({ loss: 'categorical_crossentropy', metrics: null, optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } } }));
    const mw = f.create_group('model_weights');
    names(mw, 'layer_names', layers.map((l) => l.name));
    byteString(mw, 'backend', 'tensorflow');
    byteString(mw, 'keras_version', '2.15.0');
    // Keras sorts the layer groups by name.
    for (const l of [...layers].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const g = mw.create_group(l.name);
      names(g, 'weight_names', l.weights.map((w) => w.name));
      for (const w of l.weights) dataset(f, `model_weights/${l.name}/${w.name}`, w);
    }
  });
  await writeFile(path, bytes);
}

/** The fixture network's layers in Keras 2 naming. */
export function keras2Weights(): { name: string; weights: Weight[] }[] {
  return [
    {
      name: 'dense',
      weights: [
        { name: 'dense/kernel:0', shape: [3, 2], values: W1 },
        { name: 'dense/bias:0', shape: [2], values: B1 },
      ],
    },
    {
      name: 'dense_1',
      weights: [
        { name: 'dense_1/kernel:0', shape: [2, 2], values: W2 },
        { name: 'dense_1/bias:0', shape: [2], values: B2 },
      ],
    },
  ];
}
