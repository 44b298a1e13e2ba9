/**
 * Reading an ONNX graph as exporters write it (skl2onnx, onnxmltools, PyTorch, tf2onnx), with
 * onnx-proto: its constants, which output holds the class probabilities, the class names the
 * exporter stored, and a plain-data summary. No onnxruntime here: these are pure functions over
 * the decoded protobuf.
 */
import { InputError } from '../util/errors.js';
import { onnx } from './onnxProto.js';
import type { ModelDescription, TensorInfo } from './types.js';

export type ModelProto = import('onnx-proto').onnx.ModelProto;
export type NodeProto = import('onnx-proto').onnx.INodeProto;
export type ValueInfo = import('onnx-proto').onnx.IValueInfoProto;
export type TypeProto = import('onnx-proto').onnx.ITypeProto;
export type TensorProto = import('onnx-proto').onnx.ITensorProto;

export const FLOAT = 1;
export const DOUBLE = 11;
const INT64 = 7;
const STRING = 8;

const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/**
 * Decodes .onnx bytes.
 *
 * @throws InputError when the bytes are not an ONNX model with a graph.
 */
export function decodeModel(bytes: Uint8Array, source: string): ModelProto {
  try {
    const m = onnx.ModelProto.decode(bytes);
    if (!m.graph) throw new Error('no graph');
    return m;
  } catch (e) {
    throw new InputError(`not a valid ONNX model: ${(e as Error).message}`, { file: source });
  }
}

/** The dimensions of a tensor value: numbers where fixed, null where free. */
export function dims(v: ValueInfo): (number | null)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : null));
}

/** Dimensions for display: numbers, or the free dimension's name. */
function shownDims(v: ValueInfo): (number | string | null)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
    d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : d.dimParam ? d.dimParam : null,
  );
}

/** An ONNX type as text: `float32`, `sequence<map<string, float32>>`. */
export function typeText(t: TypeProto | null | undefined): string {
  if (!t) return 'unknown';
  if (t.tensorType) return ELEM_TYPES[t.tensorType.elemType ?? 0] ?? `type ${t.tensorType.elemType}`;
  if (t.sequenceType) return `sequence<${typeText(t.sequenceType.elemType)}>`;
  if (t.mapType) return `map<${ELEM_TYPES[t.mapType.keyType ?? 0] ?? '?'}, ${typeText(t.mapType.valueType)}>`;
  if (t.optionalType) return `optional<${typeText(t.optionalType.elemType)}>`;
  return 'unknown';
}

const isFloatTensor = (v: ValueInfo) => v.type?.tensorType?.elemType === FLOAT || v.type?.tensorType?.elemType === DOUBLE;
const isSequenceOfMaps = (v: ValueInfo) => !!v.type?.sequenceType?.elemType?.mapType;

/** The value of attribute `name` of a node, if set. */
export function attribute(nd: NodeProto, name: string): import('onnx-proto').onnx.IAttributeProto | undefined {
  return (nd.attribute ?? []).find((a) => a.name === name);
}

/**
 * Float values of a constant tensor (`rawData`, `floatData` or `doubleData`), or `null` for
 * non-float tensors.
 */
export function floatValues(t: TensorProto): Float64Array | null {
  const n = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  if (t.dataType !== FLOAT && t.dataType !== DOUBLE) return null;
  if (t.rawData && t.rawData.length) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const out = new Float64Array(n);
    if (t.dataType === FLOAT) for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    else for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
    return out;
  }
  if (t.dataType === FLOAT) return Float64Array.from(t.floatData ?? []);
  return Float64Array.from(t.doubleData ?? []);
}

/**
 * The graph's constant tensors: initializers and the outputs of `Constant` nodes (tf2onnx and
 * PyTorch write weights either way).
 */
export function graphConstants(proto: ModelProto): Map<string, TensorProto> {
  const out = new Map<string, TensorProto>();
  for (const t of proto.graph?.initializer ?? []) out.set(t.name ?? '', t);
  for (const nd of proto.graph?.node ?? []) {
    const value = nd.opType === 'Constant' ? attribute(nd, 'value')?.t : undefined;
    if (value && nd.output?.[0]) out.set(nd.output[0], { ...value, name: nd.output[0] });
  }
  return out;
}

/** The graph's input that is not an initializer (the feature vector). */
export function dataInputs(proto: ModelProto): ValueInfo[] {
  const inits = new Set((proto.graph?.initializer ?? []).map((t) => t.name));
  return (proto.graph?.input ?? []).filter((v) => !inits.has(v.name));
}

const decoder = new TextDecoder();

/** Class labels stored in a node's attributes (`classlabels_strings`, `classlabels_int64s`, `classlabels_ints`). */
function nodeLabels(nd: NodeProto): { labels: string[]; attribute: string } | null {
  for (const name of ['classlabels_strings', 'classlabels_int64s', 'classlabels_ints']) {
    const a = attribute(nd, name);
    if (!a) continue;
    const labels = name === 'classlabels_strings' ? (a.strings ?? []).map((s) => decoder.decode(s)) : (a.ints ?? []).map((i) => String(i));
    if (labels.length) return { labels, attribute: name };
  }
  return null;
}

/** Class labels stored as a constant string or int64 tensor (skl2onnx's `classes`, read by ArrayFeatureExtractor). */
function tensorLabels(t: TensorProto): string[] | null {
  if (t.dataType === STRING) return (t.stringData ?? []).map((s) => decoder.decode(s));
  if (t.dataType === INT64) {
    if (t.int64Data?.length) return t.int64Data.map((v) => String(v));
    if (t.rawData?.length) {
      const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Array.from({ length: t.rawData.byteLength / 8 }, (_, i) => String(view.getBigInt64(i * 8, true)));
    }
  }
  return null;
}

/** Which output the adapter reads, and what the graph says about it. */
export interface OutputPlan {
  /** The tensor holding the model's answer (a graph output, or the input of a ZipMap). */
  name: string;
  /** Its width when the graph states it. */
  width: number | null;
  elemType: number;
  /** Operator that computes it (`Softmax`, `Gemm`, `LinearClassifier`, ...), `''` when none. */
  op: string;
  /** True when it is not a graph output and must be made one (the input of a ZipMap). */
  expose: boolean;
  /** Class names, when the exporter stored them. */
  classes?: string[];
  /** Where the class names came from, for `distill inspect`. */
  classesFrom?: string;
  /** True when the graph has classifier signs (class labels, a ZipMap, a classifier node, a label output). */
  classifier: boolean;
  /** Role of every graph output, for `distill inspect`. */
  roles: Map<string, string>;
}

/**
 * Chooses the output that holds the model's answer: the first float tensor output (one named like
 * `prob*` first); else, for a classifier whose probabilities come as a sequence of maps (a
 * `ZipMap`, which onnxruntime-node cannot return), the ZipMap's float input, to be exposed as an
 * output. Class names come from the ZipMap, a classifier node (`LinearClassifier`,
 * `TreeEnsembleClassifier`, ...) behind the probabilities, or the constant class list an
 * `ArrayFeatureExtractor` maps the predicted index through (skl2onnx), when their count matches.
 *
 * @throws InputError when the only candidate is a sequence of maps not computed by a ZipMap over a
 *   tensor (the message says to export with `zipmap=False`), or when there is no float output.
 * @example
 * probabilityOutput(decodeModel(bytes, 'clf.onnx'), 'clf.onnx'); // { name: 'probabilities', expose: true, classes: ['no', 'yes'], ... }
 */
export function probabilityOutput(proto: ModelProto, source: string): OutputPlan {
  const graph = proto.graph!;
  const outputs = graph.output ?? [];
  const nodes = graph.node ?? [];
  const producer = new Map<string, NodeProto>();
  for (const nd of nodes) for (const o of nd.output ?? []) producer.set(o, nd);
  const roles = new Map<string, string>();
  const floats = outputs.filter(isFloatTensor);
  const labelOutputs = outputs.filter((v) => !isFloatTensor(v) && (v.type?.tensorType?.elemType === INT64 || v.type?.tensorType?.elemType === STRING));
  let plan: Omit<OutputPlan, 'classifier' | 'roles' | 'op'> & { zipMap?: NodeProto };
  if (floats.length) {
    const v = floats.find((o) => /prob/i.test(o.name ?? '')) ?? floats[0];
    plan = { name: v.name ?? '', width: dims(v)[1] ?? null, elemType: v.type!.tensorType!.elemType!, expose: false };
  } else {
    const seq = outputs.find(isSequenceOfMaps);
    if (!seq) throw new InputError(`the graph has no float output (outputs: ${outputs.map((o) => `${o.name} ${typeText(o.type)}`).join(', ') || 'none'})`, { file: source });
    const zip = producer.get(seq.name ?? '');
    const input = zip?.input?.[0];
    if (!zip || zip.opType !== 'ZipMap' || !input) {
      throw new InputError(
        `output "${seq.name}" is a ${typeText(seq.type)}, which onnxruntime-node cannot return, and it is not a ZipMap over a probability tensor that could be read instead; export the classifier with zipmap=False (skl2onnx: options={"zipmap": False})`,
        { file: source },
      );
    }
    const known = nodeLabels(zip)?.labels.length ?? null;
    const info = [...(graph.valueInfo ?? []), ...outputs].find((v) => v.name === input);
    plan = { name: input, width: (info && dims(info)[1]) ?? known, elemType: FLOAT, expose: true, zipMap: zip };
    roles.set(seq.name ?? '', `not read: onnxruntime-node cannot return a ${typeText(seq.type)}; the probabilities are read from its ZipMap's input "${input}"`);
  }
  const op = producer.get(plan.name)?.opType ?? '';
  // Class names: the ZipMap over the probabilities, a classifier node behind them, skl2onnx's class list.
  let named: { labels: string[]; from: string } | null = null;
  const zipMap = plan.zipMap ?? nodes.find((nd) => nd.opType === 'ZipMap' && nd.input?.[0] === plan.name);
  const fromNode = (nd: NodeProto | undefined) => {
    const l = nd && nodeLabels(nd);
    return l ? { labels: l.labels, from: `${nd!.opType} "${nd!.name || nd!.opType}" (${l.attribute})` } : null;
  };
  named = fromNode(zipMap);
  if (!named) {
    // Walk back from the probabilities through shape-preserving steps to a classifier node.
    let nd = producer.get(plan.name);
    for (let k = 0; nd && k < 4 && !named; k++) {
      if (/Classifier$/.test(nd.opType ?? '')) named = fromNode(nd);
      else if (['Normalizer', 'Identity', 'Cast'].includes(nd.opType ?? '')) nd = producer.get(nd.input?.[0] ?? '');
      else break;
    }
  }
  if (!named) {
    const consts = graphConstants(proto);
    for (const nd of nodes) {
      if (nd.opType !== 'ArrayFeatureExtractor') continue;
      const t = consts.get(nd.input?.[0] ?? '');
      const labels = t && tensorLabels(t);
      if (labels?.length) {
        named = { labels, from: `the class list "${t!.name}" of ArrayFeatureExtractor "${nd.name || nd.opType}"` };
        break;
      }
    }
  }
  const width = plan.width;
  const classes = named && (width === null || named.labels.length === width) ? named.labels : undefined;
  for (const o of labelOutputs) roles.set(o.name ?? '', 'not read: the predicted label');
  const classifier = !!classes || !!zipMap || /Classifier$/.test(op) || labelOutputs.length > 0;
  roles.set(plan.name, classifier || op === 'Softmax' || op === 'Sigmoid' ? 'read: class probabilities' : 'read');
  for (const o of outputs) if (!roles.has(o.name ?? '')) roles.set(o.name ?? '', 'not read');
  const { zipMap: _z, ...rest } = plan;
  return { ...rest, op, classifier, roles, ...(classes ? { classes, classesFrom: named!.from } : {}) };
}

const tensorInfo = (v: ValueInfo, role?: string): TensorInfo => ({ name: v.name ?? '', shape: shownDims(v), type: typeText(v.type), ...(role ? { role } : {}) });

/**
 * A plain-data summary of an ONNX model: producer, inputs, outputs (with what the adapter reads),
 * operator counts, opsets and stored parameter count.
 *
 * @example
 * describeOnnx(proto, plan).graph.ops; // { Gemm: 2, Relu: 1, Softmax: 1 }
 */
export function describeOnnx(proto: ModelProto, plan: OutputPlan): ModelDescription {
  const graph = proto.graph!;
  const ops: Record<string, number> = {};
  for (const nd of graph.node ?? []) {
    const key = nd.domain && nd.domain !== 'ai.onnx' ? `${nd.domain}.${nd.opType}` : (nd.opType ?? '');
    ops[key] = (ops[key] ?? 0) + 1;
  }
  const opsets: Record<string, number> = {};
  for (const o of proto.opsetImport ?? []) opsets[o.domain ?? ''] = Number(o.version ?? 0);
  const params = (graph.initializer ?? []).reduce((s, t) => s + (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1), 0);
  const producer = [proto.producerName, proto.producerVersion].filter(Boolean).join(' ') || undefined;
  const notes: string[] = [];
  if (plan.expose) notes.push(`class probabilities read from "${plan.name}", the input of the ZipMap (onnxruntime-node cannot return its sequence of maps)`);
  if (plan.classesFrom) notes.push(`class names from ${plan.classesFrom}`);
  return {
    format: 'ONNX',
    producer,
    inputs: dataInputs(proto).map((v) => tensorInfo(v)),
    outputs: [
      ...(graph.output ?? []).map((v) => tensorInfo(v, plan.roles.get(v.name ?? ''))),
      ...(plan.expose ? [{ name: plan.name, shape: ['batch', plan.width], type: 'float32', role: 'read: class probabilities (the ZipMap\'s input)' }] : []),
    ],
    graph: { nodes: (graph.node ?? []).length, ops, opsets, params },
    notes,
  };
}
