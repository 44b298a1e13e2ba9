/**
 * Loading a model from a spec (a Layers folder or model.json, a Keras .keras or .h5 file, a .onnx
 * file, or an http(s) URL) and pairing it with its encoder.
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { identityEncoder, parseEncoder, type EncoderJSON } from '../data/encoder.js';
import type { Dataset, Target } from '../data/types.js';
import { InputError } from '../util/errors.js';
import { MAX_MODEL_JSON_BYTES, readModelFile, readRegularFile } from '../util/files.js';
import { pathExists as exists } from '../util/io.js';
import { parseJsonText } from '../util/json.js';
import { createTabularModel } from './createTabularModel.js';
import { resolveModelJson } from './resolveModelJson.js';
import type { BlackBox, HttpLimits, ModelOrigin, TabularModel } from './types.js';

export interface LoadModelOptions {
  /** Data the model will see: needed only when the model has no saved encoder. */
  data?: Dataset;
  /** TF.js backend for Layers models (`tensorflow`, `wasm`, `cpu`; default the fastest that loads). */
  backend?: string;
  /** encoder.json to use instead of the one beside the model. */
  encoderPath?: string;
  /** Rows per batch inside predict. */
  batchSize?: number;
  /** HTTP endpoints: per-request timeout in milliseconds. */
  timeoutMs?: number;
  /** HTTP endpoints: further attempts after a failed request. */
  retries?: number;
  /** HTTP endpoints: reply size limit, overall deadline, probabilities or scores (see {@link HttpBlackBoxOptions}). */
  http?: HttpLimits;
  /**
   * ONNX models: onnxruntime's intra-op threads (default: onnxruntime's choice, one per core).
   * Commands run with `--workers 1` load with 1, so that the run keeps to one thread.
   */
  threads?: number;
  /**
   * Without encoder or data, read the inputs as numeric columns `input_1`, `input_2`, ... (to look
   * at a model alone, as `distill inspect` does) instead of throwing.
   */
  unnamedInputs?: boolean;
}

/** The kind of model a spec names. */
export type ModelKind = 'tfjs-layers' | 'keras' | 'onnx' | 'http';

const isUrl = (spec: string) => /^https?:\/\//i.test(spec);


/** Files a model folder may hold, in the order they are looked for, when it has no model.json. */
const FOLDER_MODELS: [file: string, kind: ModelKind][] = [
  ['model.keras', 'keras'],
  ['model.h5', 'keras'],
  ['model.onnx', 'onnx'],
];

/**
 * Which adapter a spec needs, and the file it points at: URLs are endpoints, `.onnx` files ONNX,
 * `.keras`, `.h5` and `.hdf5` files Keras, folders hold `model.json` (or else `model.keras`,
 * `model.h5` or `model.onnx`).
 *
 * @example
 * await resolveModelSpec('models/iris'); // { kind: 'tfjs-layers', path: 'models/iris/model.json' }
 * await resolveModelSpec('net.keras');   // { kind: 'keras', path: 'net.keras' }
 */
export async function resolveModelSpec(spec: string): Promise<{ kind: ModelKind; path: string }> {
  if (isUrl(spec)) return { kind: 'http', path: spec };
  if (/\.onnx$/i.test(spec)) return { kind: 'onnx', path: spec };
  if (/\.(keras|h5|hdf5)$/i.test(spec)) return { kind: 'keras', path: spec };
  let isDir = false;
  try {
    isDir = (await stat(spec)).isDirectory();
  } catch {
    throw new InputError('no such model file or folder (expected a folder with model.json, a model.json, a .keras, .h5 or .onnx file, or an http(s) URL)', { file: spec });
  }
  if (isDir && !(await exists(join(spec, 'model.json')))) {
    for (const [file, kind] of FOLDER_MODELS) if (await exists(join(spec, file))) return { kind, path: join(spec, file) };
  }
  return { kind: 'tfjs-layers', path: await resolveModelJson(spec) };
}

/**
 * The model's saved encoder: `encoderPath` when given, else `encoder.json` beside the model file
 * (never for URLs), else `null`.
 *
 * @throws InputError when the file is unreadable, not a regular file, over 64 MiB, outside the
 *   model's folder (a symbolic link leading out), not JSON (with line and column) or not a valid
 *   encoder (with a JSON path).
 * @example
 * const enc = await findModelEncoder('models/iris'); // models/iris/encoder.json
 */
export async function findModelEncoder(spec: string, encoderPath?: string): Promise<EncoderJSON | null> {
  if (encoderPath) {
    const bytes = await readRegularFile(encoderPath, { what: 'an encoder.json file', maxBytes: MAX_MODEL_JSON_BYTES });
    return parseEncoder(parseJsonText(new TextDecoder().decode(bytes), encoderPath), encoderPath);
  }
  if (isUrl(spec)) return null;
  const { path: file } = await resolveModelSpec(spec);
  const beside = join(dirname(file), 'encoder.json');
  if (!(await exists(beside))) return null;
  // The encoder beside the model is one of the model folder's files: it must be inside the folder.
  const bytes = await readModelFile(dirname(file), 'encoder.json', { what: 'encoder file', at: { file: spec }, maxBytes: MAX_MODEL_JSON_BYTES });
  return parseEncoder(parseJsonText(new TextDecoder().decode(bytes), beside), beside);
}

/**
 * Loads the black box a spec names (no encoder). HTTP endpoints need `inputSize`.
 *
 * @throws InputError as the adapters do (missing files, bad shards, unreachable endpoint...).
 * @example
 * const bb = await loadBlackBox('model.onnx');
 */
export async function loadBlackBox(
  spec: string,
  opts: Omit<LoadModelOptions, 'data' | 'encoderPath'> & { inputSize?: number; task?: 'classification' | 'regression'; outputSize?: number } = {},
): Promise<BlackBox> {
  const { kind, path } = await resolveModelSpec(spec);
  // Adapters load on demand: tfjs and onnxruntime take a while to import, and a run needs one.
  if (kind === 'onnx') {
    const { onnxBlackBox } = await import('./onnxModel.js');
    return onnxBlackBox(path, { batchSize: opts.batchSize, task: opts.task, threads: opts.threads });
  }
  if (kind === 'http') {
    const { httpBlackBox } = await import('./httpBlackBox.js');
    if (opts.inputSize === undefined) throw new InputError('an HTTP endpoint needs an encoder (--encoder) or data to know its input width', { file: spec });
    return httpBlackBox(spec, { inputSize: opts.inputSize, task: opts.task, outputSize: opts.outputSize, batchSize: opts.batchSize, timeoutMs: opts.timeoutMs, retries: opts.retries, ...opts.http });
  }
  const { initBackend } = await import('./backend.js');
  const { layersBlackBox, readLayersModel } = await import('./layers.js');
  await initBackend(opts.backend);
  if (kind === 'keras') {
    const { readKerasModel } = await import('./kerasModel.js');
    const k = await readKerasModel(path);
    const producer = k.kerasVersion ? `keras ${k.kerasVersion}` : undefined;
    return layersBlackBox(k.model, { source: k.source, hash: k.hash, type: 'keras', format: k.format, producer, batchSize: opts.batchSize });
  }
  const { model, hash, source, producer } = await readLayersModel(path);
  return layersBlackBox(model, { source, hash, producer, batchSize: opts.batchSize });
}

/** The black box with another task (keeps its methods and live backend). */
function withTask(bb: BlackBox, task: 'classification' | 'regression'): BlackBox {
  if (bb.task === task) return bb;
  return Object.create(bb, { task: { value: task, enumerable: true } }) as BlackBox;
}


/**
 * Loads a model and its encoder as a {@link TabularModel}.
 *
 * `spec` is a folder or `model.json` (TF.js Layers), a Keras `.keras` or `.h5` file, a `.onnx`
 * file, or an http(s) URL (TF Serving REST predict). The encoder is `opts.encoderPath`, else
 * `encoder.json` beside the model, else the identity encoder of `opts.data` (its non-target
 * columns in file order, all numeric). Classes come from the encoder's target; for a model without
 * encoder, from the model file when it names them (an ONNX classifier's labels), else from the
 * data's target if its class count matches the model's output width, else `class_0`, `class_1`...
 *
 * @throws InputError for unreadable models or encoders, a width mismatch between encoder and model
 *   (stating both), a categorical column without encoder, or an unreachable endpoint.
 * @example
 * const model = await loadModel('models/iris');
 * const labels = await model.predictLabels(ds.rows);
 */
export async function loadModel(spec: string, opts: LoadModelOptions = {}): Promise<TabularModel> {
  let encoder = await findModelEncoder(spec, opts.encoderPath);
  const saved = encoder !== null;
  let loaded: BlackBox | undefined;
  if (!encoder) {
    let ds = opts.data;
    if (!ds) {
      if (!opts.unnamedInputs) throw new InputError('the model has no encoder.json beside it: give data (or --encoder) so its input columns are known', { file: spec });
      loaded = await loadBlackBox(spec, opts);
      const features = Array.from({ length: loaded.inputSize }, (_, i) => ({ name: `input_${i + 1}`, type: 'numeric' as const }));
      ds = { source: spec, schema: { features }, rows: [], missing: 0 };
    }
    // Unlabelled data (e.g. predict inputs): a placeholder target, replaced below from the model's outputs.
    encoder = identityEncoder(ds.schema.target ? ds : { ...ds, schema: { ...ds.schema, target: { name: 'class', kind: 'class', classes: [] } }, target: ds.rows.map(() => null) });
  }
  const target = (saved || opts.data?.schema.target ? encoder.schema.target : undefined) as Target | undefined;
  const classTarget = target?.kind === 'class' ? target : undefined;
  let task: 'classification' | 'regression' | undefined = target ? (target.kind === 'class' ? 'classification' : 'regression') : undefined;
  let bb = loaded ?? (await loadBlackBox(spec, { ...opts, inputSize: encoder.inputSize, task }));
  if (classTarget && classTarget.classes.length === bb.outputSize) task = 'classification';
  else if (saved && target) task = target.kind === 'class' ? 'classification' : 'regression';
  else task = bb.task;
  bb = withTask(bb, task);
  if (!saved) {
    let fixed: Target;
    if (task === 'classification') {
      const named = bb.classes?.length === bb.outputSize ? [...bb.classes] : undefined;
      fixed = named
        ? { name: target?.name ?? 'class', kind: 'class', classes: named }
        : classTarget && classTarget.classes.length === bb.outputSize
          ? classTarget
          : { name: target?.name ?? 'class', kind: 'class', classes: Array.from({ length: bb.outputSize }, (_, i) => `class_${i}`) };
    } else fixed = target?.kind === 'regression' ? target : { name: target?.name ?? 'output', kind: 'regression' };
    encoder = { ...encoder, schema: { ...encoder.schema, target: fixed } };
  }
  const { kind } = await resolveModelSpec(spec);
  const origin: ModelOrigin = {
    spec,
    kind,
    encoder,
    task,
    identity: bb.identity,
    backend: kind === 'tfjs-layers' || kind === 'keras' ? bb.backend : undefined,
    batchSize: opts.batchSize,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    http: opts.http,
  };
  try {
    return createTabularModel(bb, encoder, origin);
  } catch (e) {
    await bb.dispose?.();
    throw e;
  }
}

/**
 * Loads a model again from its {@link ModelOrigin} (in a worker thread or on another machine),
 * with the same encoder, task, backend and identity. `path` replaces the spec when the files were
 * copied elsewhere (a queue worker's cache); the identity recorded stays the original one.
 * `threads` caps an ONNX model's intra-op threads (worker threads of a pool use 1).
 *
 * @throws InputError as {@link loadModel}.
 * @example
 * const again = await reloadModel(model.origin!);
 */
export async function reloadModel(origin: ModelOrigin, path = origin.spec, threads?: number): Promise<TabularModel> {
  let bb = await loadBlackBox(path, {
    threads,
    backend: origin.backend,
    batchSize: origin.batchSize,
    timeoutMs: origin.timeoutMs,
    retries: origin.retries,
    http: origin.http,
    inputSize: origin.encoder.inputSize,
    task: origin.task,
  });
  bb = withTask(bb, origin.task);
  if (bb.identity.source !== origin.identity.source) bb = Object.create(bb, { identity: { value: origin.identity, enumerable: true } }) as BlackBox;
  try {
    return createTabularModel(bb, origin.encoder, origin);
  } catch (e) {
    await bb.dispose?.();
    throw e;
  }
}
