/**
 * Test fixtures for the model adapters: one small network with chosen weights, written as a
 * Keras-converter style TF.js Layers model (two weight shards), as ONNX, and served by a local
 * TF-Serving-style endpoint.
 *
 * Network: 3 inputs -> 2 ReLU units -> 2 softmax outputs.
 *   W1 = [[1, -1], [0.5, 2], [-1, 0]], b1 = [0.1, -0.2]
 *   W2 = [[1, -1], [2, 0.5]],          b2 = [0, 0.3]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { DenseNetwork } from '../../src/model/types.js';

export const W1 = [1, -1, 0.5, 2, -1, 0];
export const B1 = [0.1, -0.2];
export const W2 = [1, -1, 2, 0.5];
export const B2 = [0, 0.3];

export const INPUTS = [
  [1, 2, 3],
  [0, 0, 0],
  [-1, 0.5, 2],
  [2, -1, 0.5],
];

/**
 * Hand-computed outputs for INPUTS:
 *   [1, 2, 3]:    h = relu([-0.9, 2.8]) = [0, 2.8];  z = [5.6, 1.7];  p0 = 1/(1+e^-3.9)
 *   [0, 0, 0]:    h = relu([0.1, -0.2]) = [0.1, 0];  z = [0.1, 0.2];  p0 = 1/(1+e^0.1)
 *   [-1, 0.5, 2]: h = relu([-2.4, 1.8]) = [0, 1.8];  z = [3.6, 1.2];  p0 = 1/(1+e^-2.4)
 *   [2, -1, 0.5]: h = relu([1.1, -4.2]) = [1.1, 0];  z = [1.1, -0.8]; p0 = 1/(1+e^-1.9)
 */
export const EXPECTED = [
  [0.9801596942659225, 0.019840305734077468],
  [0.47502081252106, 0.52497918747894],
  [0.9168273035060777, 0.08317269649392234],
  [0.8698915256370021, 0.13010847436299788],
];

export const NETWORK: DenseNetwork = {
  layers: [
    { inputSize: 3, outputSize: 2, weights: Float64Array.from(W1), biases: Float64Array.from(B1), activation: 'relu' },
    { inputSize: 2, outputSize: 2, weights: Float64Array.from(W2), biases: Float64Array.from(B2), activation: 'softmax' },
  ],
};

export const flatInputs = () => Float32Array.from(INPUTS.flat());

/** A Dense layer's config as tf.keras 2 writes it (also inside a converter's model.json). */
export function denseConfig(name: string, units: number, activation: string) {
  return {
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      dtype: 'float32',
      units,
      activation,
      use_bias: true,
      kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
      bias_initializer: { class_name: 'Zeros', config: {} },
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  };
}

const f32 = (a: number[]) => new Uint8Array(Float32Array.from(a).buffer);

/**
 * Writes the network as the TensorFlow.js converter writes a Keras model: `model.json` with
 * `keras_version`, an InputLayer and Dense layers, and the weights in two shard files cut at a
 * layer boundary (shard 1: dense kernel + bias = 32 bytes; shard 2: dense_1 kernel + bias = 24 bytes).
 * `outputActivation` may be changed, and `w2`/`b2` replaced (e.g. a single sigmoid unit).
 */
export async function writeKerasModel(
  dir: string,
  opts: { outputActivation?: string; w2?: number[]; b2?: number[]; extraLayer?: unknown } = {},
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const w2 = opts.w2 ?? W2;
  const b2 = opts.b2 ?? B2;
  const layers: unknown[] = [
    { class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
    denseConfig('dense', 2, 'relu'),
    ...(opts.extraLayer ? [opts.extraLayer] : []),
    denseConfig('dense_1', b2.length, opts.outputActivation ?? 'softmax'),
  ];
  const modelJson = {
    format: 'layers-model',
    generatedBy: 'keras v2.15.0',
    convertedBy: 'TensorFlow.js Converter v4.22.0',
    modelTopology: {
      keras_version: '2.15.0',
      backend: 'tensorflow',
      model_config: { class_name: 'Sequential', config: { name: 'sequential', layers } },
      training_config: {
        loss: 'categorical_crossentropy',
        metrics: null,
        weighted_metrics: null,
        loss_weights: null,
        optimizer_config: { class_name: 'Adam', config: { name: 'Adam', learning_rate: 0.001 } },
      },
    },
    weightsManifest: [
      {
        paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'],
        weights: [
          { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
          { name: 'dense/bias', shape: [2], dtype: 'float32' },
          { name: 'dense_1/kernel', shape: [2, b2.length], dtype: 'float32' },
          { name: 'dense_1/bias', shape: [b2.length], dtype: 'float32' },
        ],
      },
    ],
  };
  await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
  await writeFile(join(dir, 'group1-shard1of2.bin'), f32([...W1, ...B1]));
  await writeFile(join(dir, 'group1-shard2of2.bin'), f32([...w2, ...b2]));
  return join(dir, 'model.json');
}

/** Reference forward pass of a dense network in float64 (what the test endpoint serves). */
export function forward(net: DenseNetwork, x: number[]): number[] {
  let a = x;
  for (const l of net.layers) {
    const z = Array.from({ length: l.outputSize }, (_, j) => l.biases[j] + a.reduce((s, v, i) => s + v * l.weights[i * l.outputSize + j], 0));
    if (l.activation === 'relu') a = z.map((v) => Math.max(0, v));
    else if (l.activation === 'sigmoid') a = z.map((v) => 1 / (1 + Math.exp(-v)));
    else if (l.activation === 'tanh') a = z.map(Math.tanh);
    else if (l.activation === 'softmax') {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((p, q) => p + q, 0);
      a = e.map((v) => v / s);
    } else a = z;
  }
  return a;
}

export type Handler = (body: string, req: IncomingMessage, res: ServerResponse) => void;

/** Starts a local HTTP server on 127.0.0.1 (random port); resolves to its predict URL and a closer. */
export async function startServer(handler: Handler): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => handler(body, req, res));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1/models/test:predict`,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A TF-Serving-style handler computing `net` on each instance. */
export function servingHandler(net: DenseNetwork, counter?: { requests: number }): Handler {
  return (body, _req, res) => {
    if (counter) counter.requests++;
    const { instances } = JSON.parse(body) as { instances: number[][] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ predictions: instances.map((x) => forward(net, x)) }));
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port just released). */
export async function closedPortUrl(): Promise<string> {
  const s = await startServer(() => {});
  await s.close();
  return s.url;
}

/** A temporary folder made before the calling test file's tests and removed after them; call the result for its path. */
export function useTempDir(prefix: string): () => string {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/**
 * A temporary folder holding `three.csv` (the rows of INPUTS with a yes/no label), made before the
 * calling test file's tests and removed after them.
 */
export function useLabelledCsv(): { dir(): string; csv(): string } {
  const dir = useTempDir('sd-cli-errors-');
  beforeAll(async () => {
    await writeFile(join(dir(), 'three.csv'), 'a,b,c,label\n' + INPUTS.map((r, i) => [...r, i % 2 ? 'yes' : 'no'].join(',')).join('\n') + '\n');
  });
  return { dir, csv: () => join(dir(), 'three.csv') };
}

/** `out` holds the rows of `expected` (row-major), each value within 1e-5. */
export function expectOutputs(out: Float32Array, expected: number[][]): void {
  expect(out.length).toBe(expected.length * expected[0].length);
  expected.flat().forEach((v, i) => expect(Math.abs(out[i] - v)).toBeLessThan(1e-5));
}

/** Same layer sizes and activations, weights and biases within 1e-6. */
export function expectSameNetwork(a: DenseNetwork, b: DenseNetwork): void {
  expect(a.layers.map((l) => [l.inputSize, l.outputSize, l.activation])).toEqual(b.layers.map((l) => [l.inputSize, l.outputSize, l.activation]));
  a.layers.forEach((l, k) => {
    l.weights.forEach((w, i) => expect(Math.abs(w - b.layers[k].weights[i])).toBeLessThan(1e-6));
    l.biases.forEach((w, i) => expect(Math.abs(w - b.layers[k].biases[i])).toBeLessThan(1e-6));
  });
}

/** Exit code 2 and exactly one line on stderr matching `message`. */
export function expectInputError(r: { code: number; stderr: string }, message: RegExp): void {
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.code).toBe(2);
}
