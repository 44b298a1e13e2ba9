import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseNetworkToOnnx, functionBlackBox, httpBlackBox, initBackend, layersBlackBox, layersDenseNetwork, onnxBlackBox } from '../../src/model/index.js';
import { onnx } from '../../src/model/onnxProto.js';
import type { BlackBox } from '../../src/model/types.js';
import { createRng } from '../../src/util/rng.js';
import { layersNet } from '../helpers/networks.js';

let dir: string;
beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
  dir = await mkdtemp(join(tmpdir(), 'sd-gradients-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Central differences of output `c` of `bb` at each of `n` rows, step `h` per input. */
async function centralDifferences(bb: BlackBox, x: Float32Array, n: number, c: number, h = 4e-3): Promise<Float64Array> {
  const p = bb.inputSize;
  const k = bb.outputSize;
  const shifted = new Float32Array(n * p * 2 * p);
  for (let i = 0; i < n; i++)
    for (let q = 0; q < p; q++)
      for (const [s, sign] of [[0, 1], [1, -1]]) {
        const at = ((i * p + q) * 2 + s) * p;
        shifted.set(x.subarray(i * p, (i + 1) * p), at);
        shifted[at + q] += sign * h;
      }
  const y = await bb.predict(shifted, n * p * 2);
  return Float64Array.from({ length: n * p }, (_, r) => (y[(2 * r) * k + c] - y[(2 * r + 1) * k + c]) / (2 * h));
}

const points = (n: number, p: number, seed: number) => {
  const rng = createRng(seed);
  return Float32Array.from({ length: n * p }, () => rng.normal());
};

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThan(tol);
}

describe('gradients of the adapters', () => {
  it('TF.js autodiff and the ONNX copy equal central differences and each other', async () => {
    const net = layersNet([4, 6, 5, 3], ['tanh', 'sigmoid', 'softmax'], 1);
    const tfjs = layersBlackBox(net, { source: 'net' });
    const path = join(dir, 'net.onnx');
    await writeFile(path, denseNetworkToOnnx(layersDenseNetwork(net)));
    const ox = await onnxBlackBox(path);
    const x = points(5, 4, 2);
    for (const c of [0, 2]) {
      const fd = await centralDifferences(tfjs, x, 5, c);
      const gt = await tfjs.gradients!(x, 5, c);
      const go = await ox.gradients!(x, 5, c);
      expectClose(gt, fd, 1e-4);
      expectClose(go, fd, 1e-4);
      expectClose(go, gt, 1e-5);
    }
    // Batched in chunks, the same numbers.
    const many = points(300, 4, 3);
    expectClose(await ox.gradients!(many, 300, 1), await tfjs.gradients!(many, 300, 1), 1e-5);
    await ox.dispose?.();
    tfjs.dispose?.();
  });

  it('a single sigmoid unit seen as [1 − p, p] gives ∓∂p/∂x, relu hidden units included', async () => {
    const net = layersNet([3, 4, 1], ['relu', 'sigmoid'], 4);
    const bb = layersBlackBox(net, { source: 'sig' });
    expect(bb.outputSize).toBe(2);
    const x = points(4, 3, 5);
    const g1 = await bb.gradients!(x, 4, 1);
    expectClose(g1, await centralDifferences(bb, x, 4, 1), 1e-4);
    expectClose(await bb.gradients!(x, 4, 0), Float32Array.from(g1, (v) => -v), 1e-7);
    await expect(bb.gradients!(x, 4, 2)).rejects.toThrow('output must be an integer from 0 to 1, got 2');
    bb.dispose?.();
  });

  it('is absent where the model exposes none: functions, HTTP endpoints, ONNX graphs that are not dense', async () => {
    const fn = functionBlackBox((x, n) => new Float32Array(n), { task: 'regression', inputSize: 1, outputSize: 1 });
    expect(fn.gradients).toBeUndefined();
    const http = await httpBlackBox('http://127.0.0.1:9/v1/models/m:predict', { inputSize: 3, outputSize: 2 });
    expect(http.gradients).toBeUndefined();
    // A LeakyRelu in place of a Relu: onnxruntime runs it, but it is not a plain dense network.
    const proto = onnx.ModelProto.decode(denseNetworkToOnnx(layersDenseNetwork(layersNet([3, 4, 2], ['relu', 'softmax'], 6))));
    proto.graph!.node!.find((nd) => nd.opType === 'Relu')!.opType = 'LeakyRelu';
    const path = join(dir, 'leaky.onnx');
    await writeFile(path, onnx.ModelProto.encode(proto).finish());
    const leaky = await onnxBlackBox(path);
    expect((await leaky.predict(new Float32Array(3), 1)).length).toBe(2);
    expect(leaky.gradients).toBeUndefined();
    await leaky.dispose?.();
  });
});
