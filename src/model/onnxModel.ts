/**
 * ONNX models: the black-box adapter over onnxruntime-node's CPU `InferenceSession`, and the dense
 * network view of graphs that are plain dense networks (read with onnx-proto).
 */
import * as ort from 'onnxruntime-node';
import { InputError } from '../util/errors.js';
import { readBinaryFile } from '../util/io.js';
import { onnx } from './onnxProto.js';
import { batchedBlackBox } from './batchedBlackBox.js';
import { sha256Of } from './outputs.js';
import type { BlackBox, DenseActivation, DenseLayer, DenseNetwork } from './types.js';

type ModelProto = import('onnx-proto').onnx.ModelProto;
type ValueInfo = import('onnx-proto').onnx.IValueInfoProto;
type TensorProto = import('onnx-proto').onnx.ITensorProto;

const FLOAT = 1;
const DOUBLE = 11;

function decodeModel(bytes: Uint8Array, source: string): ModelProto {
  try {
    const m = onnx.ModelProto.decode(bytes);
    if (!m.graph) throw new Error('no graph');
    return m;
  } catch (e) {
    throw new InputError(`not a valid ONNX model: ${(e as Error).message}`, { file: source });
  }
}

function dims(v: ValueInfo): (number | null)[] {
  return (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : null));
}

/**
 * Loads an ONNX model file as a {@link BlackBox} (onnxruntime-node, CPU). The input is the graph's
 * first non-initializer input, of shape [batch, features]; the output is the first float output.
 * A last Softmax or Sigmoid node makes it a classifier (a single sigmoid output becomes `[1-p, p]`);
 * otherwise `task` decides (default regression for one output, classification for more).
 *
 * @param opts.batchSize rows per `session.run` (default 8192).
 * @param opts.threads onnxruntime's intra-op threads (default: onnxruntime's choice, one per core);
 *   1 avoids its spinning worker threads on a machine whose cores are busy with other work.
 * @throws InputError for a missing or invalid file, or inputs/outputs of an unusable shape.
 * @example
 * const bb = await onnxBlackBox('model.onnx');
 * await bb.predict(new Float32Array(4), 1);
 */
export async function onnxBlackBox(
  path: string,
  opts: { batchSize?: number; task?: 'classification' | 'regression'; threads?: number } = {},
): Promise<BlackBox> {
  const bytes = await readBinaryFile(path);
  const proto = decodeModel(bytes, path);
  const graph = proto.graph!;
  const initNames = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((v) => !initNames.has(v.name));
  if (inputs.length !== 1) throw new InputError(`expected one graph input, found ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`, { file: path });
  const input = inputs[0];
  const inDims = dims(input);
  const inType = input.type?.tensorType?.elemType;
  if (inDims.length !== 2 || inDims[1] === null) {
    throw new InputError(`input "${input.name}" must have shape [batch, features] with a fixed feature count, got [${inDims.map((d) => d ?? '?').join(', ')}]`, { file: path });
  }
  if (inType !== FLOAT && inType !== DOUBLE) throw new InputError(`input "${input.name}" must be float or double, got ONNX type ${inType}`, { file: path });
  const output = (graph.output ?? []).find((v) => v.type?.tensorType?.elemType === FLOAT || v.type?.tensorType?.elemType === DOUBLE);
  if (!output) throw new InputError('the graph has no float output', { file: path });
  const inputSize = inDims[1];
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {});
  } catch (e) {
    throw new InputError(`onnxruntime cannot load the model: ${String((e as Error).message).split('\n')[0]}`, { file: path });
  }
  const inName = input.name ?? session.inputNames[0];
  const outName = output.name ?? session.outputNames[0];
  const producer = (graph.node ?? []).find((nd) => (nd.output ?? []).includes(outName));
  const lastOp = producer?.opType ?? '';
  const identity = { type: 'onnx', source: path, hash: sha256Of(bytes) };
  const batchSize = opts.batchSize ?? 8192;
  const double = inType === DOUBLE;

  async function run(x: Float32Array, m: number): Promise<Float32Array> {
    const t = double ? new ort.Tensor('float64', Float64Array.from(x), [m, inputSize]) : new ort.Tensor('float32', x, [m, inputSize]);
    let res: ort.InferenceSession.ReturnType;
    try {
      res = await session.run({ [inName]: t }, [outName]);
    } catch (e) {
      throw new InputError(`onnxruntime failed: ${String((e as Error).message).split('\n')[0]}`, { file: path });
    }
    const y = res[outName];
    return y.data instanceof Float32Array ? y.data : Float32Array.from(y.data as Float64Array);
  }

  let rawOut = dims(output)[1] ?? null;
  if (rawOut === null) rawOut = (await run(new Float32Array(inputSize), 1)).length;
  const width = rawOut;
  const task = lastOp === 'Softmax' || lastOp === 'Sigmoid' ? 'classification' : (opts.task ?? (width > 1 ? 'classification' : 'regression'));
  return batchedBlackBox({
    task,
    inputSize,
    rawOutputs: width,
    sigmoidPair: lastOp === 'Sigmoid' && width === 1,
    identity,
    backend: 'onnxruntime',
    engine: 'onnxruntime',
    batchSize,
    run,
    async dispose() {
      await session.release();
    },
    denseNetwork() {
      return onnxDenseNetwork(proto, path);
    },
  });
}

function tensorValues(t: TensorProto, source: string): Float64Array {
  const n = (t.dims ?? []).reduce<number>((a, d) => a * Number(d), 1);
  if (t.rawData && t.rawData.length) {
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    const out = new Float64Array(n);
    if (t.dataType === FLOAT) for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
    else if (t.dataType === DOUBLE) for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
    else throw notDense(source, `initializer "${t.name}" has ONNX type ${t.dataType}`);
    return out;
  }
  if (t.dataType === FLOAT && t.floatData?.length) return Float64Array.from(t.floatData);
  if (t.dataType === DOUBLE && t.doubleData?.length) return Float64Array.from(t.doubleData);
  throw notDense(source, `initializer "${t.name}" holds no float data`);
}

const ACT: Record<string, DenseActivation> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax' };

/**
 * Reads a plain dense network from an ONNX graph: `MatMul` + `Add` or `Gemm` per layer, each
 * optionally followed by `Relu`, `Sigmoid`, `Tanh` or `Softmax` (`Identity`/`Dropout` skipped).
 *
 * @param model the decoded model (or the .onnx bytes).
 * @throws InputError naming the first node that does not fit ("not a plain dense network").
 * @example
 * onnxDenseNetwork(await readFile('model.onnx'), 'model.onnx').layers.length; // 3
 */
export function onnxDenseNetwork(model: ModelProto | Uint8Array, source = 'model.onnx'): DenseNetwork {
  const proto = model instanceof Uint8Array ? decodeModel(model, source) : model;
  const graph = proto.graph!;
  const inits = new Map<string, TensorProto>();
  for (const t of graph.initializer ?? []) inits.set(t.name ?? '', t);
  const input = (graph.input ?? []).find((v) => !inits.has(v.name ?? ''));
  let cur = input?.name ?? '';
  const layers: DenseLayer[] = [];
  const lastLayer = () => layers[layers.length - 1];
  for (const nd of graph.node ?? []) {
    const ins = nd.input ?? [];
    const op = nd.opType ?? '';
    const where = `node "${nd.name || op}" (${op})`;
    if (!ins.includes(cur)) throw notDense(source, `${where} does not continue the chain from "${cur}"`);
    const other = ins.filter((s) => s !== cur);
    const attr = (name: string) => (nd.attribute ?? []).find((a) => a.name === name);
    if (op === 'MatMul' || op === 'Gemm') {
      if (ins[0] !== cur) throw notDense(source, `${where} multiplies from the left`);
      const w = inits.get(ins[1]);
      if (!w || (w.dims ?? []).length !== 2) throw notDense(source, `${where} has no constant 2-D weight matrix`);
      const [r, c] = (w.dims ?? []).map(Number);
      let values = tensorValues(w, source);
      let inputSize = r;
      let outputSize = c;
      let biases = new Float64Array(c);
      if (op === 'Gemm') {
        if (Number(attr('transA')?.i ?? 0) !== 0) throw notDense(source, `${where} transposes its input`);
        const alpha = attr('alpha')?.f ?? 1;
        const beta = attr('beta')?.f ?? 1;
        if (Number(attr('transB')?.i ?? 0) !== 0) {
          inputSize = c;
          outputSize = r;
          const t = new Float64Array(r * c);
          for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = values[i * c + j];
          values = t;
        }
        if (alpha !== 1) values = values.map((v) => v * alpha);
        biases = new Float64Array(outputSize);
        if (ins[2]) {
          const bt = inits.get(ins[2]);
          if (!bt) throw notDense(source, `${where} has a non-constant bias`);
          const bv = tensorValues(bt, source);
          for (let j = 0; j < outputSize; j++) biases[j] = beta * (bv.length === 1 ? bv[0] : bv[j]);
        }
      }
      if (layers.length && lastLayer().outputSize !== inputSize) throw notDense(source, `${where} takes ${inputSize} inputs after a layer of ${lastLayer().outputSize} units`);
      layers.push({ inputSize, outputSize, weights: values, biases, activation: 'linear' });
    } else if (op === 'Add') {
      const b = inits.get(other[0] ?? '');
      const l = lastLayer();
      if (!l || l.activation !== 'linear' || !b || other.length !== 1) throw notDense(source, `${where} is not a bias after a matrix product`);
      const bv = tensorValues(b, source);
      if (bv.length !== 1 && bv.length !== l.outputSize) throw notDense(source, `${where} adds ${bv.length} values to ${l.outputSize} units`);
      for (let j = 0; j < l.outputSize; j++) l.biases[j] += bv.length === 1 ? bv[0] : bv[j];
    } else if (ACT[op]) {
      const l = lastLayer();
      if (!l || l.activation !== 'linear') throw notDense(source, `${where} is not right after a dense layer`);
      if (op === 'Softmax') {
        const axis = Number(attr('axis')?.i ?? -1);
        if (axis !== -1 && axis !== 1) throw notDense(source, `${where} has axis ${axis}`);
      }
      l.activation = ACT[op];
    } else if (op !== 'Identity' && op !== 'Dropout') {
      throw notDense(source, `${where} is not MatMul, Add, Gemm, Relu, Sigmoid, Tanh or Softmax`);
    }
    cur = (nd.output ?? [])[0] ?? '';
  }
  const outName = (graph.output ?? [])[0]?.name;
  if (!layers.length) throw notDense(source, 'it has no MatMul or Gemm node');
  if (cur !== outName) throw notDense(source, `the chain ends at "${cur}", not at the graph output "${outName}"`);
  return { layers };
}

function notDense(source: string, why: string): InputError {
  return new InputError(`the model is not a plain dense network: ${why}`, { file: source });
}
