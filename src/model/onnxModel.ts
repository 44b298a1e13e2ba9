/**
 * ONNX models: the black-box adapter over onnxruntime-node's CPU `InferenceSession`, for graphs as
 * exporters write them. A classifier from skl2onnx or onnxmltools has a label output and its
 * probabilities as a tensor or as a `ZipMap` (a sequence of maps, which onnxruntime-node 1.30
 * cannot return: "Non tensor type is temporarily not supported"); the ZipMap's input tensor is then
 * made a graph output of the session's copy of the model and read instead. The graph reading lives
 * in onnxGraph.ts, the dense network view in onnxDenseNetwork.ts; a graph that is a plain dense
 * network also has gradients, by backpropagation through that view.
 */
import type * as Ort from 'onnxruntime-node';
import { requireCommonJs } from '../util/cjs.js';
import { InputError } from '../util/errors.js';
import { MAX_MODEL_FILE_BYTES, readRegularFile } from '../util/files.js';
import { onnx } from './onnxProto.js';
import { batchedBlackBox, type BatchEngine } from './batchedBlackBox.js';
import { denseGradients } from './denseForward.js';
import { inlineExternalData } from './onnxExternalData.js';
import { onnxDenseNetwork } from './onnxDenseNetwork.js';
import { DOUBLE, FLOAT, dataInputs, decodeModel, describeOnnx, dims, probabilityOutput, type ModelProto, type OutputPlan } from './onnxGraph.js';
import { sha256Of } from './outputs.js';
import type { BlackBox, DenseNetwork } from './types.js';

// A CommonJS package: loaded with require (see util/cjs.ts).
const ort = requireCommonJs('onnxruntime-node') as typeof Ort;

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

/** The model's bytes with `plan.name` added as a float graph output of shape [batch, width]. */
function withOutput(bytes: Uint8Array, plan: OutputPlan): Uint8Array {
  const copy = onnx.ModelProto.decode(bytes);
  const dim = [{ dimParam: 'batch' }, plan.width === null ? { dimParam: 'classes' } : { dimValue: plan.width }];
  (copy.graph!.output ??= []).push(onnx.ValueInfoProto.create({ name: plan.name, type: { tensorType: { elemType: FLOAT, shape: { dim } } } }));
  return onnx.ModelProto.encode(copy).finish();
}

/**
 * onnxruntime's thread-pool threads sleep when out of work instead of spinning. Spinning keeps a
 * core busy between the short `session.run` calls of the explainers (5,000 rows of a small
 * network at a time): a LIME run of 400 rows in one thread took about 20 % more process CPU with
 * it, and that core is the one a worker thread (or any other process) would have used.
 */
export const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };

/**
 * Loads an ONNX model file as a {@link BlackBox} (onnxruntime-node, CPU). The input is the graph's
 * one non-initializer input, of shape [batch, features]; the output read is the class
 * probabilities or values (see {@link probabilityOutput}: the first float output, or a ZipMap's
 * input). It is a classifier when the output comes from Softmax or Sigmoid or the graph has
 * classifier signs (class labels, a ZipMap, a classifier node, a label output); a single sigmoid
 * output becomes `[1-p, p]`; otherwise `task` decides (default regression for one output,
 * classification for more). Class names the exporter stored are exposed as `classes`.
 *
 * @param opts.batchSize rows per `session.run` (default 8192).
 * @param opts.threads onnxruntime's intra-op threads (default: its own choice, the cores; they
 *   never spin, see {@link NO_SPINNING}); a worker thread of a pool uses 1, so that N workers do
 *   not run N × cores threads.
 *
 * External data (tensors stored in files beside the model) is read from inside the model's folder
 * only (see onnxExternalData.ts), and the identity hash covers it.
 *
 * @throws InputError for a missing, special (pipe, device) or invalid file, external data outside
 *   the model's folder or of the wrong size, inputs or outputs of an unusable shape, or
 *   probabilities that onnxruntime-node cannot return (the message says to export with
 *   `zipmap=False`).
 * @example
 * const bb = await onnxBlackBox('classifier.onnx'); // skl2onnx, ZipMap output
 * bb.classes; // ['no', 'yes']
 * await bb.predict(new Float32Array(4), 1);
 */
export async function onnxBlackBox(
  path: string,
  opts: { batchSize?: number; task?: 'classification' | 'regression'; threads?: number } = {},
): Promise<BlackBox> {
  let bytes = await readRegularFile(path, { what: 'an ONNX model file', maxBytes: MAX_MODEL_FILE_BYTES });
  const proto: ModelProto = decodeModel(bytes, path);
  // External data beside the model is checked and copied in: the session is made from self-contained bytes.
  if (await inlineExternalData(proto, path, bytes.length)) bytes = onnx.ModelProto.encode(proto).finish();
  const inputs = dataInputs(proto);
  if (inputs.length !== 1) throw new InputError(`expected one graph input, found ${inputs.length} (${inputs.map((v) => v.name).join(', ')})`, { file: path });
  const input = inputs[0];
  const inDims = dims(input);
  const inType = input.type?.tensorType?.elemType;
  if (inDims.length !== 2 || inDims[1] === null) {
    throw new InputError(`input "${input.name}" must have shape [batch, features] with a fixed feature count, got [${inDims.map((d) => d ?? '?').join(', ')}]`, { file: path });
  }
  if (inType !== FLOAT && inType !== DOUBLE) throw new InputError(`input "${input.name}" must be float or double, got ONNX type ${inType}`, { file: path });
  const plan = probabilityOutput(proto, path);
  const inputSize = inDims[1];
  let session: Ort.InferenceSession;
  try {
    // Warnings (e.g. "initializer appears in graph inputs", common in older PyTorch exports) stay off stderr.
    const threads = opts.threads ? { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } : {};
    session = await ort.InferenceSession.create(plan.expose ? withOutput(bytes, plan) : bytes, { logSeverityLevel: 3, ...threads, extra: NO_SPINNING });
  } catch (e) {
    const hint = plan.expose ? ` (reading the probabilities "${plan.name}" behind the ZipMap; export the classifier with zipmap=False to avoid it)` : '';
    throw new InputError(`onnxruntime cannot load the model${hint}: ${firstLine(e)}`, { file: path });
  }
  const inName = input.name ?? session.inputNames[0];
  const outName = plan.name;
  const identity = { type: 'onnx', source: path, hash: sha256Of(bytes) };
  const batchSize = opts.batchSize ?? 8192;
  const double = inType === DOUBLE;

  async function run(x: Float32Array, m: number): Promise<Float32Array> {
    const t = double ? new ort.Tensor('float64', Float64Array.from(x), [m, inputSize]) : new ort.Tensor('float32', x, [m, inputSize]);
    let res: Ort.InferenceSession.ReturnType;
    try {
      res = await session.run({ [inName]: t }, [outName]);
    } catch (e) {
      throw new InputError(`onnxruntime failed: ${firstLine(e)}`, { file: path });
    }
    const y = res[outName];
    return y.data instanceof Float32Array ? y.data : Float32Array.from(y.data as Float64Array);
  }

  let rawOut = plan.width;
  if (rawOut === null) rawOut = (await run(new Float32Array(inputSize), 1)).length;
  const width = rawOut;
  const lastOp = plan.op;
  const task =
    lastOp === 'Softmax' || lastOp === 'Sigmoid' || (plan.classifier && width > 1) ? 'classification' : (opts.task ?? (width > 1 ? 'classification' : 'regression'));
  const sigmoidPair = lastOp === 'Sigmoid' && width === 1;
  const classes = plan.classes && plan.classes.length === (sigmoidPair ? 2 : width) ? plan.classes : undefined;
  return batchedBlackBox({
    task,
    inputSize,
    rawOutputs: width,
    sigmoidPair,
    identity,
    backend: 'onnxruntime',
    engine: 'onnxruntime',
    batchSize,
    run,
    classes,
    async dispose() {
      await session.release();
    },
    denseNetwork() {
      return onnxDenseNetwork(proto, path, outName);
    },
    describe() {
      return describeOnnx(proto, { ...plan, width });
    },
    ...denseGradientEngine(proto, path, outName),
  });
}

/**
 * Gradients of a dense ONNX graph: onnxruntime-node has no autodiff, so they are computed by
 * backpropagation by hand (src/model/denseForward.ts) through the dense layers `denseNetwork()`
 * reads — MatMul/Gemm + Add with linear, relu, sigmoid, tanh or softmax activations — in float64
 * from the graph's float32 weights, matching what tfjs autodiff gives for the same network. A graph
 * that is not a plain dense network gets no gradients.
 */
function denseGradientEngine(proto: ModelProto, path: string, output: string): Pick<BatchEngine, 'gradients'> {
  let net: DenseNetwork;
  try {
    net = onnxDenseNetwork(proto, path, output);
  } catch {
    return {};
  }
  const last = net.layers[net.layers.length - 1];
  return {
    gradients(inputs, m, out) {
      const seed = new Float64Array(last.outputSize);
      seed[out] = 1;
      return Float32Array.from(denseGradients(net, inputs, m, seed));
    },
  };
}
