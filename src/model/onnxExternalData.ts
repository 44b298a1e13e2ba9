/**
 * ONNX external data: tensors whose bytes live in another file beside the model (exporters write
 * them for models over 2 GiB, or when asked: `save_as_external_data=True`), named by a `location`
 * relative to the model file, with an `offset` and a `length`.
 *
 * The model folder is untrusted, so onnxruntime is never left to open these files itself (from
 * bytes it would resolve them against the working folder; from a path it would follow whatever
 * the model names). Instead each location is checked like every file a model names (inside the
 * model's folder, a regular file: see {@link openModelFile}), its range checked against the file's
 * size and the tensor's shape, and the bytes copied into the tensor (`rawData`), so that the
 * session is created from self-contained bytes.
 */
import { dirname } from 'node:path';
import { InputError } from '../util/errors.js';
import { MAX_MODEL_FILE_BYTES, formatBytes, openModelFile, type ModelFile } from '../util/files.js';
import type { ModelProto, TensorProto } from './onnxGraph.js';

type GraphProto = import('onnx-proto').onnx.IGraphProto;
type AttributeProto = import('onnx-proto').onnx.IAttributeProto;

/** `TensorProto.DataLocation.EXTERNAL`. */
const EXTERNAL = 1;

/** Bytes per element of each ONNX data type with a fixed size (4-bit types: see {@link byteLength}). */
const ELEMENT_BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8, 15: 16, 16: 2, 17: 1, 18: 1, 19: 1, 20: 1 };

/** The byte length of a tensor's raw data from its type and shape, or `null` when the type has no fixed size. */
function byteLength(t: TensorProto): number | null {
  const n = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  if (t.dataType === 21 || t.dataType === 22) return Math.ceil(n / 2);
  const size = ELEMENT_BYTES[t.dataType ?? 0];
  return size === undefined ? null : n * size;
}

/** Every tensor of the model's graphs (initializers, constants, attributes, subgraphs, functions), with a name for messages. */
function allTensors(model: ModelProto): [TensorProto, string][] {
  const out: [TensorProto, string][] = [];
  const graphs: GraphProto[] = [];
  const attrs: AttributeProto[] = [];
  if (model.graph) graphs.push(model.graph);
  for (const f of model.functions ?? []) for (const nd of f.node ?? []) attrs.push(...(nd.attribute ?? []));
  // Iterative: subgraphs (If, Loop, Scan) may nest without bound.
  while (graphs.length || attrs.length) {
    const g = graphs.pop();
    if (g) {
      for (const t of g.initializer ?? []) out.push([t, `initializer "${t.name ?? ''}"`]);
      for (const s of g.sparseInitializer ?? []) {
        if (s.values) out.push([s.values, `sparse initializer "${s.values.name ?? ''}" values`]);
        if (s.indices) out.push([s.indices, `sparse initializer "${s.values?.name ?? ''}" indices`]);
      }
      for (const nd of g.node ?? []) attrs.push(...(nd.attribute ?? []));
      continue;
    }
    const a = attrs.pop()!;
    const where = `attribute "${a.name ?? ''}"`;
    if (a.t) out.push([a.t, where]);
    for (const t of a.tensors ?? []) out.push([t, where]);
    for (const s of [a.sparseTensor, ...(a.sparseTensors ?? [])]) {
      if (s?.values) out.push([s.values, `${where} values`]);
      if (s?.indices) out.push([s.indices, `${where} indices`]);
    }
    if (a.g) graphs.push(a.g);
    for (const sub of a.graphs ?? []) graphs.push(sub);
  }
  return out;
}

/**
 * Copies the external data of every tensor of `model` into the tensor (`rawData`), reading each
 * location from inside the folder of `modelPath` after the checks described above. Returns whether
 * any tensor had external data (the model was changed and must be encoded again).
 *
 * @throws InputError naming the model file and the tensor, for a location outside the model's
 *   folder (absolute, `..`, a symbolic link leading out), a missing or special file, a range past
 *   the file's end, a length that differs from the tensor's shape, or more than 2 GiB in all.
 * @example
 * const proto = decodeModel(bytes, 'big.onnx');
 * if (await inlineExternalData(proto, 'big.onnx', bytes.length)) bytes = onnx.ModelProto.encode(proto).finish();
 */
export async function inlineExternalData(model: ModelProto, modelPath: string, modelBytes: number): Promise<boolean> {
  const dir = dirname(modelPath);
  const files = new Map<string, ModelFile>();
  let total = modelBytes;
  let changed = false;
  try {
    for (const [t, name] of allTensors(model)) {
      if (t.dataLocation !== EXTERNAL) continue;
      const entries = new Map((t.externalData ?? []).map((e) => [e.key ?? '', e.value ?? '']));
      const at = { file: modelPath, path: `${name} external data` };
      const location = entries.get('location');
      if (!location) throw new InputError('expected a "location" key', at);
      const num = (key: string): number | undefined => {
        const v = entries.get(key);
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new InputError(`"${key}" must be a non-negative integer, got ${JSON.stringify(v)}`, at);
        return n;
      };
      const offset = num('offset') ?? 0;
      const want = byteLength(t);
      const given = num('length');
      if (given !== undefined && want !== null && given !== want) throw new InputError(`"length" is ${given} bytes, the tensor's shape [${(t.dims ?? []).join(', ')}] needs ${want}`, at);
      const length = given ?? want;
      if (length === null) throw new InputError('expected a "length" key (the tensor type has no fixed size)', at);
      let f = files.get(location);
      if (!f) {
        f = await openModelFile(dir, location, { what: 'external data file', at });
        files.set(location, f);
      }
      if (offset + length > f.size) throw new InputError(`${name} needs bytes ${offset} to ${offset + length}, past the end of the file (${f.size} bytes)`, { file: f.path });
      total += length;
      if (total > MAX_MODEL_FILE_BYTES) throw new InputError(`the model and its external data exceed the ${formatBytes(MAX_MODEL_FILE_BYTES)} limit`, { file: modelPath });
      t.rawData = await f.read(offset, length);
      t.externalData = [];
      t.dataLocation = 0;
      changed = true;
    }
  } finally {
    await Promise.all([...files.values()].map((f) => f.close()));
  }
  return changed;
}
