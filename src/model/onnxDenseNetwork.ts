/**
 * The dense network view of an ONNX graph, for decompositional methods: the chain of nodes from the
 * feature input to the output the adapter reads, read as dense layers. Exporters write a dense
 * layer three ways, all read here: `Gemm` with `transB=1` (PyTorch: weights stored `[out, in]`),
 * `MatMul` + `Add` (tf2onnx, skl2onnx, and this toolkit's `denseNetworkToOnnx`), and `Gemm`
 * without transposition. Side branches (skl2onnx's ArgMax → label, ZipMap) are not on the chain and
 * are left alone.
 */
import { InputError } from '../util/errors.js';
import { attribute, dataInputs, decodeModel, floatValues, graphConstants, type ModelProto, type NodeProto, type TensorProto } from './onnxGraph.js';
import type { DenseActivation, DenseLayer, DenseNetwork } from './types.js';

const ACT: Record<string, DenseActivation> = { Relu: 'relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax' };

/** Nodes that pass their input through unchanged at prediction time. */
const PASS = new Set(['Identity', 'Dropout', 'Flatten']);

interface Constant {
  dims: number[];
  values: Float64Array;
}

/**
 * Float constants, with `Identity` and 2-D `Transpose` of constants folded (tf2onnx wraps weights
 * in Identity nodes; some PyTorch exports transpose them in the graph).
 */
function foldedConstants(proto: ModelProto): Map<string, Constant> {
  const out = new Map<string, Constant>();
  const raw = graphConstants(proto);
  const asConst = (t: TensorProto): Constant | null => {
    const values = floatValues(t);
    return values ? { dims: (t.dims ?? []).map(Number), values } : null;
  };
  for (const [name, t] of raw) {
    const c = asConst(t);
    if (c) out.set(name, c);
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const nd of proto.graph?.node ?? []) {
      const [i] = nd.input ?? [];
      const o = nd.output?.[0];
      const c = i !== undefined ? out.get(i) : undefined;
      if (!o || !c || out.has(o) || (nd.input ?? []).length !== 1) continue;
      if (nd.opType === 'Identity') out.set(o, c);
      else if (nd.opType === 'Transpose' && c.dims.length === 2) {
        const perm = (attribute(nd, 'perm')?.ints ?? [1, 0]).map(Number);
        if (perm[0] !== 1 || perm[1] !== 0) continue;
        const [r, k] = c.dims;
        const t = new Float64Array(r * k);
        for (let a = 0; a < r; a++) for (let b = 0; b < k; b++) t[b * r + a] = c.values[a * k + b];
        out.set(o, { dims: [k, r], values: t });
      } else continue;
      changed = true;
    }
  }
  return out;
}

/**
 * Reads a plain dense network from an ONNX graph: along the chain from the feature input to
 * `output`, `MatMul` + `Add` or `Gemm` (any `transB`, `alpha`, `beta`) per layer, each optionally
 * followed by `Relu`, `Sigmoid`, `Tanh` or `Softmax`; `Identity`, `Dropout` and `Flatten` are skipped,
 * and constants may be initializers, `Constant` nodes or their Identity/Transpose.
 *
 * @param model the decoded model (or the .onnx bytes).
 * @param output the tensor the chain ends at (default: the first graph output).
 * @throws InputError naming the first node that does not fit ("not a plain dense network").
 * @example
 * onnxDenseNetwork(await readFile('model.onnx'), 'model.onnx').layers.length; // 3
 */
export function onnxDenseNetwork(model: ModelProto | Uint8Array, source = 'model.onnx', output?: string): DenseNetwork {
  const proto = model instanceof Uint8Array ? decodeModel(model, source) : model;
  const graph = proto.graph!;
  const consts = foldedConstants(proto);
  const input = dataInputs(proto)[0]?.name ?? '';
  const target = output ?? graph.output?.[0]?.name ?? '';
  const producer = new Map<string, NodeProto>();
  for (const nd of graph.node ?? []) for (const o of nd.output ?? []) producer.set(o, nd);
  const describe = (nd: NodeProto) => `node "${nd.name || nd.opType}" (${nd.opType})`;

  // The chain, walked back from the output: each node must take exactly one non-constant input.
  const chain: NodeProto[] = [];
  for (let cur = target; cur !== input; ) {
    const nd = producer.get(cur);
    if (!nd) throw notDense(source, `"${cur}" is neither the graph input nor computed by a node`);
    const data = [...new Set((nd.input ?? []).filter((s) => s && !consts.has(s)))];
    if (data.length !== 1) throw notDense(source, `${describe(nd)} combines ${data.length} computed inputs (${data.join(', ')})`);
    chain.unshift(nd);
    if (chain.length > (graph.node ?? []).length) throw notDense(source, 'the graph has a cycle');
    cur = data[0];
  }

  const layers: DenseLayer[] = [];
  const lastLayer = () => layers[layers.length - 1];
  let cur = input;
  for (const nd of chain) {
    const ins = nd.input ?? [];
    const op = nd.opType ?? '';
    const where = describe(nd);
    if (op === 'MatMul' || op === 'Gemm') {
      if (ins[0] !== cur) throw notDense(source, `${where} multiplies from the left`);
      const w = consts.get(ins[1]);
      if (!w || w.dims.length !== 2) throw notDense(source, `${where} has no constant 2-D weight matrix`);
      const [r, c] = w.dims;
      let values = w.values;
      let inputSize = r;
      let outputSize = c;
      let biases = new Float64Array(c);
      if (op === 'Gemm') {
        if (Number(attribute(nd, 'transA')?.i ?? 0) !== 0) throw notDense(source, `${where} transposes its input`);
        const alpha = attribute(nd, 'alpha')?.f ?? 1;
        const beta = attribute(nd, 'beta')?.f ?? 1;
        if (Number(attribute(nd, 'transB')?.i ?? 0) !== 0) {
          inputSize = c;
          outputSize = r;
          const t = new Float64Array(r * c);
          for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = values[i * c + j];
          values = t;
        }
        if (alpha !== 1) values = values.map((v) => v * alpha);
        biases = new Float64Array(outputSize);
        if (ins[2]) {
          const bt = consts.get(ins[2]);
          if (!bt) throw notDense(source, `${where} has a non-constant bias`);
          if (bt.values.length !== 1 && bt.values.length !== outputSize) throw notDense(source, `${where} adds ${bt.values.length} biases to ${outputSize} units`);
          for (let j = 0; j < outputSize; j++) biases[j] = beta * (bt.values.length === 1 ? bt.values[0] : bt.values[j]);
        }
      } else values = Float64Array.from(values);
      if (layers.length && lastLayer().outputSize !== inputSize) throw notDense(source, `${where} takes ${inputSize} inputs after a layer of ${lastLayer().outputSize} units`);
      layers.push({ inputSize, outputSize, weights: values, biases, activation: 'linear' });
    } else if (op === 'Add') {
      const other = ins.filter((s) => s !== cur);
      const b = consts.get(other[0] ?? '');
      const l = lastLayer();
      if (!l || l.activation !== 'linear' || !b || other.length !== 1) throw notDense(source, `${where} is not a bias after a matrix product`);
      if (b.values.length !== 1 && b.values.length !== l.outputSize) throw notDense(source, `${where} adds ${b.values.length} values to ${l.outputSize} units`);
      for (let j = 0; j < l.outputSize; j++) l.biases[j] += b.values.length === 1 ? b.values[0] : b.values[j];
    } else if (ACT[op]) {
      const l = lastLayer();
      if (!l || l.activation !== 'linear') throw notDense(source, `${where} is not right after a dense layer`);
      if (op === 'Softmax') {
        const axis = Number(attribute(nd, 'axis')?.i ?? -1);
        if (axis !== -1 && axis !== 1) throw notDense(source, `${where} has axis ${axis}`);
      }
      l.activation = ACT[op];
    } else if (op === 'Flatten' && Number(attribute(nd, 'axis')?.i ?? 1) !== 1) {
      throw notDense(source, `${where} flattens from axis ${attribute(nd, 'axis')?.i}`);
    } else if (!PASS.has(op)) {
      throw notDense(source, `${where} is not MatMul, Add, Gemm, Relu, Sigmoid, Tanh or Softmax`);
    }
    cur = (nd.output ?? [])[0] ?? '';
  }
  if (!layers.length) throw notDense(source, 'it has no MatMul or Gemm node');
  return { layers };
}

function notDense(source: string, why: string): InputError {
  return new InputError(`the model is not a plain dense network: ${why}`, { file: source });
}
