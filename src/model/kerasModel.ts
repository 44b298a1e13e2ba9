/**
 * Keras models as they were saved, without the TensorFlow.js converter: a Keras 3 `.keras` file (a
 * zip of `config.json`, `metadata.json` and `model.weights.h5`) or a Keras 2 HDF5 file (`.h5`: the
 * `model_config` attribute and the `model_weights` group), rebuilt as a TF.js Layers model.
 *
 * Weight layouts, as Keras writes them:
 * - Keras 3 (`saving_lib`): `layers/<key>/vars/0`, `/1`, ... per layer, `<key>` the snake-case
 *   class name numbered per class (`dense`, `dense_1`), variables in the layer's order (trainable,
 *   then non-trainable: a BatchNormalization's gamma, beta, moving mean, moving variance).
 * - Keras 2 (`legacy_h5_format`): `model_weights/<layer name>` with a `weight_names` attribute
 *   (split into `weight_names0`, `weight_names1`, ... when long) listing the datasets below it
 *   (`model_weights/dense/dense/kernel:0`), in the layer's order.
 * Each layer's saved arrays are checked against the TF.js layer's weights (count and shapes) and set
 * in that order.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../util/errors.js';
import { MAX_MODEL_FILE_BYTES, MAX_MODEL_JSON_BYTES, formatBytes, readRegularFile } from '../util/files.js';
import { parseJsonText } from '../util/json.js';
import { openHdf5, type Hdf5File, type Hdf5Floats } from './hdf5.js';
import { kerasTopology, type KerasLayerInfo, type KerasTopology } from './kerasConfig.js';
import { sha256Of } from './outputs.js';

/** A Keras file read into a TF.js Layers model. */
export interface KerasModel {
  model: tf.LayersModel;
  /** `sha256:` of the file's bytes. */
  hash: string;
  source: string;
  /** `Keras 3 (.keras)` or `Keras HDF5 (.h5)`. */
  format: string;
  /** The Keras version that wrote the file, when it says. */
  kerasVersion?: string;
}

/** One saved array of a layer, with where it was found. */
interface SavedWeight extends Hdf5Floats {
  path: string;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const textOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : Array.isArray(v) && v.length === 1 && typeof v[0] === 'string' ? v[0] : undefined);

/**
 * Reads a Keras `.keras` or `.h5` file into a TF.js Layers model (the TF.js backend must be
 * initialised). Which layout it is comes from the bytes (a zip, or HDF5), not the extension.
 *
 * @throws InputError for an unreadable, special (pipe, device) or corrupt file (zip or HDF5), a file
 *   or archive member over its size limit (2 GiB; 64 MiB for the JSON members), a `.h5` holding weights only,
 *   a layer TF.js cannot run (naming its class and name), or a missing or misshapen weights entry
 *   (naming the layer and the HDF5 path).
 * @example
 * await initBackend();
 * const { model, hash } = await readKerasModel('model.keras');
 * model.predict(tf.tensor2d([[5.1, 3.5, 1.4, 0.2]]), { batchSize: 1 });
 */
export async function readKerasModel(path: string): Promise<KerasModel> {
  const bytes = await readRegularFile(path, { what: 'a Keras model file', maxBytes: MAX_MODEL_FILE_BYTES });
  const hash = sha256Of(bytes);
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) return readKeras3(bytes, path, hash);
  return readKerasH5(bytes, path, hash);
}

async function readKeras3(bytes: Uint8Array, path: string, hash: string): Promise<KerasModel> {
  const { unzipSync } = await import('fflate');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (!['config.json', 'metadata.json', 'model.weights.h5', 'model.weights.npz'].includes(f.name)) return false;
        // fflate inflates into a buffer of the size the archive declares: check it before inflating.
        const limit = f.name.endsWith('.json') ? MAX_MODEL_JSON_BYTES : MAX_MODEL_FILE_BYTES;
        if (f.originalSize > limit) throw new InputError(`${f.name} inflates to ${formatBytes(f.originalSize)}, over the ${formatBytes(limit)} limit`, { file: path });
        return true;
      },
    });
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`not a readable .keras file (a zip of config.json and model.weights.h5): ${(e as Error).message}`, { file: path });
  }
  const inner = (name: string) => `${path}!/${name}`;
  if (!files['config.json']) throw new InputError('the archive has no config.json: not a Keras 3 model file', { file: path });
  if (!files['model.weights.h5']) {
    if (files['model.weights.npz']) throw new InputError('the weights are stored as model.weights.npz; save the model with the default weights_format="h5"', { file: path });
    throw new InputError('the archive has no model.weights.h5', { file: path });
  }
  const text = (name: string) => new TextDecoder().decode(files[name]);
  const config = parseJsonText(text('config.json'), inner('config.json'));
  let kerasVersion: string | undefined;
  if (files['metadata.json']) {
    const meta = parseJsonText(text('metadata.json'), inner('metadata.json')) as { keras_version?: unknown };
    if (typeof meta?.keras_version === 'string') kerasVersion = meta.keras_version;
  }
  const topology = kerasTopology(config, inner('config.json'));
  const weightsFile = inner('model.weights.h5');
  const h5 = await openHdf5(files['model.weights.h5'], weightsFile);
  try {
    const model = await buildModel(topology, inner('config.json'), (layer) => ({ place: `${layer.weightsKey}/vars`, read: () => keras3Weights(h5, layer) }), weightsFile);
    return { model, hash, source: path, format: 'Keras 3 (.keras)', kerasVersion };
  } finally {
    h5.close();
  }
}

/** A layer's variables in a Keras 3 weights file: `layers/<key>/vars/0..n-1`, or `null` when there is no such group. */
function keras3Weights(h5: Hdf5File, layer: KerasLayerInfo): SavedWeight[] | null {
  // Files written by Keras 2.13's saving_lib keep layers under `_layer_checkpoint_dependencies`.
  for (const group of [`${layer.weightsKey}/vars`, `${layer.weightsKey.replace(/^layers\//, '_layer_checkpoint_dependencies/')}/vars`]) {
    const names = h5.keys(group);
    if (names === null) continue;
    const order = names.filter((n) => /^\d+$/.test(n)).sort((a, b) => Number(a) - Number(b));
    return order.map((n) => readWeight(h5, `${group}/${n}`));
  }
  return null;
}

function readWeight(h5: Hdf5File, path: string): SavedWeight {
  const d = h5.floats(path);
  if (!d) throw new InputError(`expected a float dataset at ${path}`);
  return { ...d, path };
}

async function readKerasH5(bytes: Uint8Array, path: string, hash: string): Promise<KerasModel> {
  const h5 = await openHdf5(bytes, path);
  try {
    const raw = textOf(h5.attr('', 'model_config'));
    if (raw === undefined) {
      const weightsOnly = h5.attr('', 'layer_names') !== undefined || h5.keys('layers') !== null;
      throw new InputError(
        weightsOnly
          ? 'the file holds weights only (model.save_weights): save the whole model with model.save("model.keras") or model.save("model.h5")'
          : 'no model_config attribute: not a Keras model saved with model.save',
        { file: path },
      );
    }
    const configSource = `${path} (model_config)`;
    const topology = kerasTopology(parseJsonText(raw, configSource), configSource);
    if (h5.keys('model_weights') === null) throw new InputError('no model_weights group: the file holds no weights', { file: path });
    const model = await buildModel(topology, configSource, (layer) => ({ place: `model_weights/${layer.name}`, read: () => keras2Weights(h5, layer) }), path);
    return { model, hash, source: path, format: 'Keras HDF5 (.h5)', kerasVersion: textOf(h5.attr('', 'keras_version')) };
  } finally {
    h5.close();
  }
}

/**
 * A string-list attribute as Keras's `load_attributes_from_hdf5_group` reads it: `name`, or the
 * chunks `name0`, `name1`, ... it was split into.
 */
function stringList(h5: Hdf5File, path: string, name: string): string[] | null {
  const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : null);
  const whole = h5.attr(path, name);
  if (whole !== undefined) return asList(whole);
  const out: string[] = [];
  for (let k = 0; ; k++) {
    const chunk = h5.attr(path, `${name}${k}`);
    if (chunk === undefined) break;
    out.push(...(asList(chunk) ?? []));
  }
  return out.length ? out : null;
}

/** A layer's weights in a Keras 2 HDF5 file: the datasets `weight_names` lists under `model_weights/<name>`. */
function keras2Weights(h5: Hdf5File, layer: KerasLayerInfo): SavedWeight[] | null {
  const group = `model_weights/${layer.name}`;
  if (h5.keys(group) === null) return null;
  const names = stringList(h5, group, 'weight_names') ?? [];
  return names.map((n) => {
    const p = `${group}/${n}`;
    const d = h5.floats(p);
    if (!d) throw new InputError(`weight_names of layer "${layer.name}" lists "${n}", but there is no dataset ${p}`);
    return { ...d, path: p };
  });
}

/**
 * Builds the TF.js model from the translated topology and sets every layer's weights from the file.
 */
async function buildModel(
  topology: KerasTopology,
  configSource: string,
  savedWeights: (layer: KerasLayerInfo) => { place: string; read(): SavedWeight[] | null },
  weightsSource: string,
): Promise<tf.LayersModel> {
  let model: tf.LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology.modelTopology } as unknown as tf.io.ModelJSON);
  } catch (e) {
    throw new InputError(`TF.js cannot build the model: ${String((e as Error).message).replace(/\s+/g, ' ').slice(0, 300)}`, { file: configSource });
  }
  try {
    for (const info of topology.layers) {
      const layer = model.getLayer(info.name);
      const expected = layer.weights;
      if (!expected.length) continue;
      const where = `layer "${info.name}" (${info.className})`;
      const { place, read } = savedWeights(info);
      let saved: SavedWeight[] | null;
      try {
        saved = read();
      } catch (e) {
        if (e instanceof InputError && !e.location.file) throw new InputError(`${where}: ${e.detail}`, { file: weightsSource });
        throw e;
      }
      if (!saved || !saved.length) throw new InputError(`no weights for ${where}: ${place} is missing`, { file: weightsSource });
      if (saved.length !== expected.length) {
        throw new InputError(`${where} has ${saved.length} saved weight(s) at ${place}, the layer needs ${expected.length} (${expected.map((w) => w.originalName.split('/').pop()).join(', ')})`, {
          file: weightsSource,
        });
      }
      saved.forEach((w, i) => {
        const want = expected[i].shape;
        if (w.shape.length !== want.length || w.shape.some((d, j) => d !== want[j])) {
          throw new InputError(`${where}: ${w.path} has shape [${w.shape.join(', ')}], the layer's ${expected[i].originalName.split('/').pop()} needs [${want.join(', ')}]`, {
            file: weightsSource,
          });
        }
      });
      const tensors = saved.map((w) => tf.tensor(w.values, w.shape, 'float32'));
      layer.setWeights(tensors);
      tf.dispose(tensors);
    }
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
