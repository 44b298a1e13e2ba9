/**
 * ONNX graphs in the shapes exporters write, built by hand with onnx-proto:
 * - skl2onnx MLPClassifier: MatMul + Add per layer, Softmax → `probabilities`; ArgMax →
 *   ArrayFeatureExtractor over the constant class list → `output_label`; the probabilities as a
 *   ZipMap (`output_probability`, a sequence of maps) or, with `zipmap=False`, a plain tensor;
 * - skl2onnx LogisticRegression: LinearClassifier (ai.onnx.ml, class labels as attributes) →
 *   Normalizer → ZipMap or tensor;
 * - PyTorch (`torch.onnx.export` of Linear/ReLU/Linear/Softmax): Gemm with transB=1 and weights
 *   stored [out, in], initializers also listed as graph inputs;
 * - tf2onnx (Keras Dense layers): MatMul + Add with the bias first, weights behind Identity nodes,
 *   a bias as a Constant node, an Identity naming the output.
 * The dense ones compute the fixture network (NETWORK: 3 → 2 relu → 2 softmax).
 */
import { onnx } from '../../src/model/onnxProto.js';
import { B1, B2, W1, W2 } from './fixtures.js';

type Node = import('onnx-proto').onnx.INodeProto;
type Tensor = import('onnx-proto').onnx.ITensorProto;
type ValueInfo = import('onnx-proto').onnx.IValueInfoProto;

const T = onnx.TensorProto.DataType;
const A = onnx.AttributeProto.AttributeType;
const utf8 = (s: string) => new TextEncoder().encode(s);

const floats = (name: string, dims: number[], values: number[]): Tensor => ({ name, dims, dataType: T.FLOAT, floatData: values });
const tensor = (name: string, elem: number, dims: (number | string)[]): ValueInfo => ({
  name,
  type: { tensorType: { elemType: elem, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
});
const seqOfMaps = (name: string, key: number): ValueInfo => ({
  name,
  type: { sequenceType: { elemType: { mapType: { keyType: key, valueType: { tensorType: { elemType: T.FLOAT } } } } } },
});
const int = (name: string, v: number) => ({ name, type: A.INT, i: v });
const str = (name: string, v: string) => ({ name, type: A.STRING, s: utf8(v) });
const strs = (name: string, v: string[]) => ({ name, type: A.STRINGS, strings: v.map(utf8) });

/** Transposes a row-major r × c matrix. */
function transpose(m: number[], r: number, c: number): number[] {
  return Array.from({ length: r * c }, (_, k) => m[(k % r) * c + Math.floor(k / r)]);
}

function encode(graph: import('onnx-proto').onnx.IGraphProto, producer: [string, string], ml = false): Uint8Array {
  return onnx.ModelProto.encode(
    onnx.ModelProto.create({
      irVersion: 8,
      producerName: producer[0],
      producerVersion: producer[1],
      opsetImport: [{ domain: '', version: 13 }, ...(ml ? [{ domain: 'ai.onnx.ml', version: 1 }] : [])],
      graph,
    }),
  ).finish();
}

/** The class outputs skl2onnx appends to a probability tensor: the label, and a ZipMap or the tensor itself. */
function classifierOutputs(labels: string[], opts: { zipmap: boolean }): { nodes: Node[]; outputs: ValueInfo[] } {
  const nodes: Node[] = [
    opts.zipmap
      ? { name: 'ZipMap', opType: 'ZipMap', domain: 'ai.onnx.ml', input: ['probabilities'], output: ['output_probability'], attribute: [strs('classlabels_strings', labels)] }
      : { name: 'Identity', opType: 'Identity', input: ['probabilities'], output: ['output_probability'] },
  ];
  return {
    nodes,
    outputs: [tensor('output_label', T.STRING, ['N']), opts.zipmap ? seqOfMaps('output_probability', T.STRING) : tensor('output_probability', T.FLOAT, ['N', labels.length])],
  };
}

/** skl2onnx's MLPClassifier (classes `no`, `yes`) over the fixture network. */
export function skl2onnxMlp(opts: { zipmap: boolean }): Uint8Array {
  const labels = ['no', 'yes'];
  const out = classifierOutputs(labels, opts);
  return encode(
    {
      name: 'mlp',
      node: [
        { name: 'MatMul', opType: 'MatMul', input: ['float_input', 'coefficient'], output: ['mul_result'] },
        { name: 'Add', opType: 'Add', input: ['mul_result', 'intercepts'], output: ['add_result'] },
        { name: 'Relu', opType: 'Relu', input: ['add_result'], output: ['next_activations'] },
        { name: 'MatMul1', opType: 'MatMul', input: ['next_activations', 'coefficient1'], output: ['mul_result1'] },
        { name: 'Add1', opType: 'Add', input: ['mul_result1', 'intercepts1'], output: ['add_result1'] },
        { name: 'Softmax', opType: 'Softmax', input: ['add_result1'], output: ['probabilities'], attribute: [int('axis', 1)] },
        { name: 'ArgMax', opType: 'ArgMax', input: ['probabilities'], output: ['argmax_output'], attribute: [int('axis', 1)] },
        { name: 'ArrayFeatureExtractor', opType: 'ArrayFeatureExtractor', domain: 'ai.onnx.ml', input: ['classes', 'argmax_output'], output: ['array_feature_extractor_result'] },
        { name: 'Reshape', opType: 'Reshape', input: ['array_feature_extractor_result', 'shape_tensor'], output: ['output_label'] },
        ...out.nodes,
      ],
      initializer: [
        floats('coefficient', [3, 2], W1),
        floats('intercepts', [1, 2], B1),
        floats('coefficient1', [2, 2], W2),
        floats('intercepts1', [1, 2], B2),
        { name: 'classes', dims: [2], dataType: T.STRING, stringData: labels.map(utf8) },
        { name: 'shape_tensor', dims: [1], dataType: T.INT64, int64Data: [-1] },
      ],
      input: [tensor('float_input', T.FLOAT, ['N', 3])],
      output: out.outputs,
    },
    ['skl2onnx', '1.17.0'],
    true,
  );
}

/** Coefficients of the logistic regression fixture: p(yes) = σ(x · LOGIT_W + LOGIT_B). */
export const LOGIT_W = [0.5, -1, 0.25];
export const LOGIT_B = 0.1;

/** skl2onnx's binary LogisticRegression (classes `no`, `yes`): LinearClassifier → Normalizer. */
export function skl2onnxLogistic(opts: { zipmap: boolean }): Uint8Array {
  const labels = ['no', 'yes'];
  const out = classifierOutputs(labels, opts);
  return encode(
    {
      name: 'logistic',
      node: [
        {
          name: 'LinearClassifier',
          opType: 'LinearClassifier',
          domain: 'ai.onnx.ml',
          input: ['float_input'],
          output: ['label', 'probability_tensor'],
          attribute: [
            strs('classlabels_strings', labels),
            { name: 'coefficients', type: A.FLOATS, floats: [...LOGIT_W.map((w) => -w), ...LOGIT_W] },
            { name: 'intercepts', type: A.FLOATS, floats: [-LOGIT_B, LOGIT_B] },
            int('multi_class', 0),
            str('post_transform', 'LOGISTIC'),
          ],
        },
        { name: 'Normalizer', opType: 'Normalizer', domain: 'ai.onnx.ml', input: ['probability_tensor'], output: ['probabilities'], attribute: [str('norm', 'L1')] },
        { name: 'Identity_label', opType: 'Identity', input: ['label'], output: ['output_label'] },
        ...out.nodes,
      ],
      input: [tensor('float_input', T.FLOAT, ['N', 3])],
      output: out.outputs,
    },
    ['skl2onnx', '1.17.0'],
    true,
  );
}

/** `torch.onnx.export` of Linear(3, 2) → ReLU → Linear(2, 2) → Softmax(dim=1). */
export function torchGemm(): Uint8Array {
  const inits = [floats('fc1.weight', [2, 3], transpose(W1, 3, 2)), floats('fc1.bias', [2], B1), floats('fc2.weight', [2, 2], transpose(W2, 2, 2)), floats('fc2.bias', [2], B2)];
  return encode(
    {
      name: 'main_graph',
      node: [
        { name: '/fc1/Gemm', opType: 'Gemm', input: ['input', 'fc1.weight', 'fc1.bias'], output: ['/fc1/Gemm_output_0'], attribute: [{ name: 'alpha', type: A.FLOAT, f: 1 }, { name: 'beta', type: A.FLOAT, f: 1 }, int('transB', 1)] },
        { name: '/relu/Relu', opType: 'Relu', input: ['/fc1/Gemm_output_0'], output: ['/relu/Relu_output_0'] },
        { name: '/fc2/Gemm', opType: 'Gemm', input: ['/relu/Relu_output_0', 'fc2.weight', 'fc2.bias'], output: ['/fc2/Gemm_output_0'], attribute: [int('transB', 1)] },
        { name: '/softmax/Softmax', opType: 'Softmax', input: ['/fc2/Gemm_output_0'], output: ['output'], attribute: [int('axis', 1)] },
      ],
      initializer: inits,
      // Older exports (keep_initializers_as_inputs) list the weights as graph inputs too.
      input: [tensor('input', T.FLOAT, ['batch_size', 3]), ...inits.map((t) => tensor(t.name!, T.FLOAT, t.dims as number[]))],
      output: [tensor('output', T.FLOAT, ['batch_size', 2])],
    },
    ['pytorch', '2.4.0'],
  );
}

/** tf2onnx's conversion of a Keras Dense(2, relu) → Dense(2, softmax) model. */
export function tf2onnxMatMul(): Uint8Array {
  return encode(
    {
      name: 'tf2onnx',
      node: [
        { name: 'Identity_w1', opType: 'Identity', input: ['sequential/dense/MatMul/ReadVariableOp:0'], output: ['w1'] },
        { name: 'const_b1', opType: 'Constant', output: ['b1'], attribute: [{ name: 'value', type: A.TENSOR, t: floats('b1', [2], B1) }] },
        { name: 'sequential/dense/MatMul', opType: 'MatMul', input: ['dense_input', 'w1'], output: ['sequential/dense/MatMul:0'] },
        { name: 'sequential/dense/BiasAdd', opType: 'Add', input: ['b1', 'sequential/dense/MatMul:0'], output: ['sequential/dense/BiasAdd:0'] },
        { name: 'sequential/dense/Relu', opType: 'Relu', input: ['sequential/dense/BiasAdd:0'], output: ['sequential/dense/Relu:0'] },
        { name: 'sequential/dense_1/MatMul', opType: 'MatMul', input: ['sequential/dense/Relu:0', 'sequential/dense_1/MatMul/ReadVariableOp:0'], output: ['sequential/dense_1/MatMul:0'] },
        { name: 'sequential/dense_1/BiasAdd', opType: 'Add', input: ['sequential/dense_1/MatMul:0', 'sequential/dense_1/BiasAdd/ReadVariableOp:0'], output: ['sequential/dense_1/BiasAdd:0'] },
        { name: 'sequential/dense_1/Softmax', opType: 'Softmax', input: ['sequential/dense_1/BiasAdd:0'], output: ['sequential/dense_1/Softmax:0'], attribute: [int('axis', -1)] },
        { name: 'Identity', opType: 'Identity', input: ['sequential/dense_1/Softmax:0'], output: ['dense_1'] },
      ],
      initializer: [
        floats('sequential/dense/MatMul/ReadVariableOp:0', [3, 2], W1),
        floats('sequential/dense_1/MatMul/ReadVariableOp:0', [2, 2], W2),
        floats('sequential/dense_1/BiasAdd/ReadVariableOp:0', [2], B2),
      ],
      input: [tensor('dense_input', T.FLOAT, ['unk__6', 3])],
      output: [tensor('dense_1', T.FLOAT, ['unk__7', 2])],
    },
    ['tf2onnx', '1.16.1 15c810'],
  );
}

/**
 * A graph whose probabilities are a sequence of maps behind an Identity, not straight from a
 * ZipMap: nothing a tensor could be read from.
 */
export function unreadableZipMap(): Uint8Array {
  const graph = onnx.ModelProto.decode(skl2onnxMlp({ zipmap: true })).graph!;
  const zip = graph.node!.find((n) => n.opType === 'ZipMap')!;
  zip.output = ['zipmap_result'];
  graph.node!.push({ name: 'Identity_zip', opType: 'Identity', input: ['zipmap_result'], output: ['output_probability'] });
  return encode(graph, ['skl2onnx', '1.17.0'], true);
}
