/**
 * Writing a {@link DenseNetwork} as an ONNX graph (opset 13): per layer `MatMul` + `Add` and the
 * activation node. Written with onnx-proto's generated protobuf classes; no installed library
 * converts tfjs models to ONNX.
 */
import { InputError } from '../util/errors.js';
import { onnx } from './onnxProto.js';
import type { DenseNetwork } from './types.js';

const OPS: Record<string, string | null> = { linear: null, relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

function floatTensor(name: string, dims: number[], values: Float64Array): import('onnx-proto').onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return { name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw };
}

function valueInfo(name: string, width: number): import('onnx-proto').onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: { dim: [{ dimParam: 'batch' }, { dimValue: width }] },
      },
    },
  };
}

/**
 * Encodes a dense network as an ONNX model: input `input` of shape [batch, inputs], output
 * `output` of shape [batch, outputs], float32 weights as initializers.
 *
 * @throws InputError when consecutive layer widths do not match.
 * @example
 * const bytes = denseNetworkToOnnx(model.blackBox.denseNetwork!());
 * await writeFileAtomic('model.onnx', bytes);
 */
export function denseNetworkToOnnx(net: DenseNetwork): Uint8Array {
  if (!net.layers.length) throw new InputError('a dense network needs at least one layer');
  const nodes: import('onnx-proto').onnx.INodeProto[] = [];
  const inits: import('onnx-proto').onnx.ITensorProto[] = [];
  let current = 'input';
  net.layers.forEach((l, i) => {
    if (i > 0 && net.layers[i - 1].outputSize !== l.inputSize) {
      throw new InputError(`layer ${i + 1} takes ${l.inputSize} inputs but layer ${i} has ${net.layers[i - 1].outputSize} units`);
    }
    if (l.weights.length !== l.inputSize * l.outputSize || l.biases.length !== l.outputSize) {
      throw new InputError(`layer ${i + 1}: weights/biases do not match ${l.inputSize}×${l.outputSize}`);
    }
    const last = i === net.layers.length - 1;
    const w = `W${i}`;
    const b = `B${i}`;
    inits.push(floatTensor(w, [l.inputSize, l.outputSize], l.weights), floatTensor(b, [l.outputSize], l.biases));
    const op = OPS[l.activation];
    if (op === undefined) throw new InputError(`layer ${i + 1}: unsupported activation "${l.activation}"`);
    const mm = `dense${i}_matmul`;
    const pre = op === null && last ? 'output' : `dense${i}_pre`;
    nodes.push({ name: `MatMul_${i}`, opType: 'MatMul', input: [current, w], output: [mm] });
    nodes.push({ name: `Add_${i}`, opType: 'Add', input: [mm, b], output: [pre] });
    current = pre;
    if (op !== null) {
      const out = last ? 'output' : `dense${i}_out`;
      nodes.push({ name: `${op}_${i}`, opType: op, input: [pre], output: [out] });
      current = out;
    }
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'surrogate-distill',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'dense_network',
      node: nodes,
      initializer: inits,
      input: [valueInfo('input', net.layers[0].inputSize)],
      output: [valueInfo('output', net.layers[net.layers.length - 1].outputSize)],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
