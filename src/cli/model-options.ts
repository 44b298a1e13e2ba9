/**
 * The model flags every model-reading command shares (`--model`, `--encoder`, `--batch-size`,
 * `--timeout`, `--retries`, `--deadline`, `--max-reply`, `--outputs`) and the loader behind them; `--backend` is global.
 */
import type { Dataset } from '../data/types.js';
import type { TabularModel } from '../model/types.js';
import { InputError } from '../util/errors.js';

/** yargs options: spread into a command's builder with `.options(modelOptions)`. */
export const modelOptions = {
  model: {
    type: 'string',
    demandOption: true,
    describe: 'Model: a TF.js Layers folder or model.json, a Keras .keras or .h5 file, a .onnx file (skl2onnx, PyTorch, tf2onnx), or a TF Serving REST predict URL',
  },
  encoder: {
    type: 'string',
    describe: "encoder.json to use (default: the one beside the model; none: the data's columns as they are, all numeric, in file order)",
  },
  'batch-size': { type: 'number', describe: 'Rows per prediction batch (default 8192; 1024 per HTTP request)' },
  timeout: { type: 'number', describe: 'HTTP endpoints: seconds before a request is abandoned (default 30)' },
  retries: { type: 'number', describe: 'HTTP endpoints: further attempts after a failed request (default 2; backoff from 0.2 s doubling, at most 5 s, jittered)' },
  deadline: { type: 'number', describe: "HTTP endpoints: seconds all of the run's requests may take together, retries included (default 900)" },
  'max-reply': { type: 'number', describe: 'HTTP endpoints: largest reply in MiB, once decompressed (default: 1 MiB plus 64 bytes per value asked for)' },
  outputs: {
    type: 'string',
    choices: ['probabilities', 'scores'],
    describe: 'HTTP endpoints: what a classifier answers: probabilities (checked: finite, in [0, 1], rows summing to 1) or scores (logits, turned into probabilities by softmax)',
  },
} as const;

/** Parsed model flags (yargs camel-cases `--batch-size`). */
export interface ModelArgs {
  model: string;
  encoder?: string;
  batchSize?: number;
  timeout?: number;
  retries?: number;
  deadline?: number;
  maxReply?: number;
  outputs?: 'probabilities' | 'scores';
  backend?: string;
}

/**
 * Loads the model the flags describe.
 *
 * @param data the data the model will see (needed when the model has no encoder.json).
 * @param opts.unnamedInputs without encoder or data, name the inputs `input_1`... (see {@link loadModel}).
 * @param opts.threads an ONNX model's onnxruntime intra-op threads (default onnxruntime's choice).
 * @throws InputError naming the flag at fault, or as {@link loadModel}.
 * @example
 * const model = await loadModelFromArgs({ model: 'models/iris' });
 */
export async function loadModelFromArgs(argv: ModelArgs, data?: Dataset, opts: { unnamedInputs?: boolean; threads?: number } = {}): Promise<TabularModel> {
  if (typeof argv.model !== 'string' || argv.model.trim() === '') throw new InputError('expected a model folder, file or URL', { flag: '--model' });
  if (argv.batchSize !== undefined && !(Number.isInteger(argv.batchSize) && argv.batchSize > 0)) {
    throw new InputError(`expected a positive integer, got ${argv.batchSize}`, { flag: '--batch-size' });
  }
  if (argv.timeout !== undefined && !(argv.timeout > 0)) throw new InputError(`expected a positive number of seconds, got ${argv.timeout}`, { flag: '--timeout' });
  if (argv.retries !== undefined && !(Number.isInteger(argv.retries) && argv.retries >= 0)) {
    throw new InputError(`expected a non-negative integer, got ${argv.retries}`, { flag: '--retries' });
  }
  // Model loading (and through it tfjs or onnxruntime) starts with the first command that needs a model.
  const { loadModel } = await import('../model/loadModel.js');
  return loadModel(argv.model, {
    data,
    backend: argv.backend,
    encoderPath: argv.encoder,
    batchSize: argv.batchSize,
    timeoutMs: argv.timeout === undefined ? undefined : argv.timeout * 1000,
    retries: argv.retries,
    http: {
      deadlineMs: argv.deadline === undefined ? undefined : argv.deadline * 1000,
      maxReplyBytes: argv.maxReply === undefined ? undefined : Math.round(argv.maxReply * 2 ** 20),
      outputs: argv.outputs,
    },
    unnamedInputs: opts.unnamedInputs,
    threads: opts.threads,
  });
}
