import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { denseNetworkToOnnx, findModelEncoder, httpBlackBox, loadBlackBox, loadModel, onnxDenseNetwork } from '../../src/model/index.js';
import type { BlackBox, DenseNetwork } from '../../src/model/types.js';
import { onnx } from '../../src/model/onnxProto.js';
import { EXPECTED, INPUTS, NETWORK, closedPortUrl, expectOutputs, expectSameNetwork, flatInputs, servingHandler, startServer, useTempDir, writeKerasModel } from './fixtures.js';

const tmp = useTempDir('sd-adapters-');

describe('the three adapters compute the hand-computed outputs', () => {
  it('TF.js Layers model in Keras-converter layout with two weight shards', async () => {
    const modelJson = await writeKerasModel(join(tmp(), 'keras'));
    const bb = await loadBlackBox(join(tmp(), 'keras'), { backend: 'wasm' });
    expect([bb.task, bb.inputSize, bb.outputSize, bb.backend]).toEqual(['classification', 3, 2, 'wasm']);
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
    // identity: sha256 of model.json followed by the shards in manifest order
    const h = createHash('sha256');
    for (const f of ['model.json', 'group1-shard1of2.bin', 'group1-shard2of2.bin']) h.update(await readFile(join(tmp(), 'keras', f)));
    expect(bb.identity).toEqual({ type: 'tfjs-layers', source: modelJson, hash: `sha256:${h.digest('hex')}` });
    expectSameNetwork(bb.denseNetwork!(), NETWORK);
    // the model.json path works as well as the folder, and the cpu backend gives the same numbers
    const cpu = await loadBlackBox(modelJson, { backend: 'cpu', batchSize: 3 });
    expect(cpu.backend).toBe('cpu');
    expectOutputs(await cpu.predict(flatInputs(), INPUTS.length), EXPECTED);
    await bb.dispose?.();
    await cpu.dispose?.();
  });

  it('ONNX file written by denseNetworkToOnnx, batched over many rows', async () => {
    const path = join(tmp(), 'net.onnx');
    await writeFile(path, denseNetworkToOnnx(NETWORK));
    const bb = await loadBlackBox(path, { batchSize: 3 });
    expect([bb.task, bb.inputSize, bb.outputSize, bb.backend, bb.identity.type]).toEqual(['classification', 3, 2, 'onnxruntime', 'onnx']);
    expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
    // 1000 copies of the 4 rows cross many batches of 3
    const many = new Float32Array(4000 * 3);
    for (let r = 0; r < 4000; r++) many.set(INPUTS[r % 4], r * 3);
    const out = await bb.predict(many, 4000);
    expectOutputs(out.subarray(3996 * 2), EXPECTED);
    expectOutputs(out.subarray(0, 8), EXPECTED);
    expectSameNetwork(bb.denseNetwork!(), NETWORK);
    expectSameNetwork(onnxDenseNetwork(await readFile(path), path), NETWORK);
    await bb.dispose?.();
  });

  it('TF Serving REST endpoint, batched into several requests', async () => {
    const counter = { requests: 0 };
    const srv = await startServer(servingHandler(NETWORK, counter));
    try {
      const bb = await httpBlackBox(srv.url, { inputSize: 3, batchSize: 2 });
      expect(counter.requests).toBe(1); // the width probe
      expect([bb.task, bb.outputSize, bb.backend, bb.identity.type, bb.identity.source]).toEqual(['classification', 2, 'http', 'http', srv.url]);
      expect(bb.identity.hash).toBe(`sha256:${createHash('sha256').update(srv.url).digest('hex')}`);
      expectOutputs(await bb.predict(flatInputs(), INPUTS.length), EXPECTED);
      expect(counter.requests).toBe(3);
      expect(bb.denseNetwork).toBeUndefined();
    } finally {
      await srv.close();
    }
  });

  it('exposes a single sigmoid unit as two probabilities [1-p, p] in every adapter', async () => {
    // output layer 2 -> 1: w = [1, 2], b = -0.5; for [1, 2, 3]: h = [0, 2.8], z = 5.1; for [0, 0, 0]: h = [0.1, 0], z = -0.4
    const p = [1 / (1 + Math.exp(-5.1)), 1 / (1 + Math.exp(0.4))];
    const expected = p.map((v) => [1 - v, v]);
    const x = Float32Array.from([...INPUTS[0], ...INPUTS[1]]);
    await writeKerasModel(join(tmp(), 'sig'), { outputActivation: 'sigmoid', w2: [1, 2], b2: [-0.5] });
    const layers = await loadBlackBox(join(tmp(), 'sig'));
    expect(layers.outputSize).toBe(2);
    expectOutputs(await layers.predict(x, 2), expected);
    const net = layers.denseNetwork!();
    expect(net.layers[1]).toMatchObject({ outputSize: 1, activation: 'sigmoid' });
    await writeFile(join(tmp(), 'sig.onnx'), denseNetworkToOnnx(net));
    const onnx = await loadBlackBox(join(tmp(), 'sig.onnx'));
    expect([onnx.task, onnx.outputSize]).toEqual(['classification', 2]);
    expectOutputs(await onnx.predict(x, 2), expected);
    const srv = await startServer(servingHandler(net));
    try {
      const http = await httpBlackBox(srv.url, { inputSize: 3, task: 'classification' });
      expect(http.outputSize).toBe(2);
      expectOutputs(await http.predict(x, 2), expected);
    } finally {
      await srv.close();
    }
  });
});

describe('models without encoder', () => {
  it('take the numeric data columns in file order; classes from the data when the count matches', async () => {
    const { loadDataset } = await import('../../src/data/index.js');
    const csv = join(tmp(), 'three.csv');
    await writeFile(csv, 'a,b,c,label\n' + INPUTS.map((r, i) => [...r, i % 2 ? 'yes' : 'no'].join(',')).join('\n') + '\n');
    const ds = await loadDataset(csv);
    const model = await loadModel(join(tmp(), 'keras'), { data: ds });
    expect(model.classes).toEqual(['no', 'yes']);
    expectOutputs(await model.predictRows(ds.rows), EXPECTED);
    expect(Array.from(await model.predictLabels(ds.rows))).toEqual([0, 1, 0, 0]);
    // three classes in the data, two outputs: generic class names
    const csv3 = join(tmp(), 'three3.csv');
    await writeFile(csv3, 'a,b,c,label\n' + INPUTS.map((r, i) => [...r, ['x', 'y', 'z'][i % 3]].join(',')).join('\n') + '\n');
    const m3 = await loadModel(join(tmp(), 'keras'), { data: await loadDataset(csv3) });
    expect(m3.classes).toEqual(['class_0', 'class_1']);
    await model.dispose();
    await m3.dispose();
  });
});

describe('ONNX dense-network reading', () => {
  /** A hand-written graph: Gemm (transB, weights stored [out, in]) -> Relu -> Gemm (alpha, beta) -> Softmax. */
  function gemmGraph(extra?: { opType: string }): Uint8Array {
    const t = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: 1, floatData: values });
    // W1ᵀ as [2, 3]; layer 2 stores W2 / 2 with alpha = 2, and b2 / 4 with beta = 4
    const w1t = [1, 0.5, -1, -1, 2, 0];
    const nodes = [
      { opType: 'Gemm', input: ['x', 'W1T', 'b1'], output: ['g1'], attribute: [{ name: 'transB', type: 2, i: 1 }] },
      { opType: 'Relu', input: ['g1'], output: ['h1'] },
      ...(extra ? [{ opType: extra.opType, input: ['h1', 'h1'], output: ['h1b'] }] : []),
      {
        opType: 'Gemm',
        input: [extra ? 'h1b' : 'h1', 'W2', 'b2'],
        output: ['g2'],
        attribute: [
          { name: 'alpha', type: 1, f: 2 },
          { name: 'beta', type: 1, f: 4 },
        ],
      },
      { opType: 'Softmax', input: ['g2'], output: ['probs'], attribute: [{ name: 'axis', type: 2, i: -1 }] },
    ];
    const io = (name: string, w: number) => ({ name, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: w }] } } } });
    return onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        opsetImport: [{ domain: '', version: 13 }],
        graph: {
          name: 'gemm',
          node: nodes,
          initializer: [t('W1T', [2, 3], w1t), t('b1', [2], [0.1, -0.2]), t('W2', [2, 2], [0.5, -0.5, 1, 0.25]), t('b2', [2], [0, 0.075])],
          input: [io('x', 3)],
          output: [io('probs', 2)],
        },
      }),
    ).finish();
  }

  it('reads Gemm with transB, alpha and beta as the same network, and onnxruntime agrees', async () => {
    const path = join(tmp(), 'gemm.onnx');
    await writeFile(path, gemmGraph());
    const bb = await loadBlackBox(path);
    expectOutputs(await bb.predict(flatInputs(), 4), EXPECTED);
    expectSameNetwork(bb.denseNetwork!(), NETWORK);
    await bb.dispose?.();
  });

  it('names the first node that is not part of a dense network', () => {
    expect(() => onnxDenseNetwork(gemmGraph({ opType: 'Mul' }), 'mul.onnx')).toThrow(
      'mul.onnx: the model is not a plain dense network: node "Mul" (Mul) is not MatMul, Add, Gemm, Relu, Sigmoid, Tanh or Softmax',
    );
  });
});

describe('bad input', () => {
  it('a missing weight shard is named', async () => {
    await writeKerasModel(join(tmp(), 'missing'));
    await rm(join(tmp(), 'missing', 'group1-shard2of2.bin'));
    await expect(loadBlackBox(join(tmp(), 'missing'))).rejects.toThrow(/missing\/group1-shard2of2\.bin: no such file/);
  });

  it('a truncated weight shard is named (last or first)', async () => {
    await writeKerasModel(join(tmp(), 'trunc2'));
    await writeFile(join(tmp(), 'trunc2', 'group1-shard2of2.bin'), new Uint8Array(20));
    await expect(loadBlackBox(join(tmp(), 'trunc2'))).rejects.toThrow(/trunc2\/group1-shard2of2\.bin: weight shard truncated: .*hold 52 bytes, model\.json lists 56/);
    await writeKerasModel(join(tmp(), 'trunc1'));
    await writeFile(join(tmp(), 'trunc1', 'group1-shard1of2.bin'), new Uint8Array(28));
    await expect(loadBlackBox(join(tmp(), 'trunc1'))).rejects.toThrow(/trunc1\/group1-shard1of2\.bin: weight shard truncated/);
  });

  it('model.json and encoder.json that are not JSON give file, line and column', async () => {
    const bad = join(tmp(), 'badjson');
    await writeKerasModel(bad);
    const text = await readFile(join(bad, 'model.json'), 'utf8');
    const cut = text.slice(0, text.indexOf('"weightsManifest"'));
    await writeFile(join(bad, 'model.json'), cut);
    const lines = cut.split('\n');
    const end = `${lines.length}: column ${lines[lines.length - 1].length + 1}`;
    await expect(loadBlackBox(bad)).rejects.toThrow(`${join(bad, 'model.json')}:${end}: invalid JSON: unexpected end of input (is the file truncated?)`);
    await writeKerasModel(join(tmp(), 'badenc'));
    await writeFile(join(tmp(), 'badenc', 'encoder.json'), '{\n  "format": "surrogate-distill/encoder",\n  "version" 1\n}\n');
    await expect(findModelEncoder(join(tmp(), 'badenc'))).rejects.toThrow(`${join(tmp(), 'badenc', 'encoder.json')}:3: column 13: invalid JSON: expected ':' after a property name`);
    await expect(loadModel(join(tmp(), 'badenc'))).rejects.toThrow(/badenc\/encoder\.json:3: column 13: invalid JSON/);
  });

  it('a model that is not a plain dense network says so', async () => {
    // elu after relu units changes nothing (elu is the identity on x >= 0), but it is not a Dense layer's activation
    await writeKerasModel(join(tmp(), 'flat'), { extraLayer: { class_name: 'Activation', config: { name: 'act', trainable: true, dtype: 'float32', activation: 'elu' } } });
    const bb = await loadBlackBox(join(tmp(), 'flat'));
    expectOutputs(await bb.predict(flatInputs(), 4), EXPECTED);
    expect(() => bb.denseNetwork!()).toThrow(/not a plain dense network: layer "act" is a Activation/);
  });

  it('NaN in the outputs names the model', async () => {
    const path = join(tmp(), 'nan.onnx');
    const bad: DenseNetwork = { layers: [{ ...NETWORK.layers[0], biases: Float64Array.from([NaN, 0]) }, NETWORK.layers[1]] };
    await writeFile(path, denseNetworkToOnnx(bad));
    const bb: BlackBox = await loadBlackBox(path);
    await expect(bb.predict(flatInputs(), 4)).rejects.toThrow(/nan\.onnx: model output is NaN for input row 1/);
  });

  it('HTTP: refused, timeout, garbage, non-2xx, wrong shape — one-line messages naming the URL', async () => {
    const refused = await closedPortUrl();
    await expect(httpBlackBox(refused, { inputSize: 3, retries: 1, backoffMs: 5 })).rejects.toThrow(
      new RegExp(`^${refused.replace(/[.?]/g, '\\$&')}: model endpoint: connection refused \\(is the server running\\?\\) \\(after 2 attempts\\)$`),
    );
    const cases: [string, (body: string, req: unknown, res: import('node:http').ServerResponse) => void, RegExp][] = [
      ['silent', () => {}, /no answer within 150 ms \(timeout\) \(after 2 attempts\)/],
      ['garbage', (_b, _q, res) => res.end('hello world'), /malformed reply \(not JSON\): "hello world"/],
      ['non-2xx', (_b, _q, res) => (res.writeHead(500), res.end('internal boom\ntrace')), /HTTP 500 Internal Server Error: internal boom trace \(after 2 attempts\)/],
      ['404', (_b, _q, res) => (res.writeHead(404), res.end('no such model')), /HTTP 404 Not Found: no such model$/],
      ['no predictions', (_b, _q, res) => res.end('{"outputs": []}'), /expected \{"predictions": \[\.\.\.\]\}/],
      ['too few rows', (_b, _q, res) => res.end('{"predictions": []}'), /wrong shape: sent 1 instances, got 0 predictions/],
      ['not numbers', (_b, _q, res) => res.end('{"predictions": [["a", 1]]}'), /predictions\[0\]\[0\] is "a", not a number/],
    ];
    for (const [, handler, message] of cases) {
      const srv = await startServer(handler);
      try {
        const err = await httpBlackBox(srv.url, { inputSize: 3, timeoutMs: 150, retries: 1, backoffMs: 5 }).catch((e: Error) => e);
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).name).toBe('InputError');
        expect((err as Error).message).toMatch(message);
        expect((err as Error).message.startsWith(srv.url)).toBe(true);
        expect((err as Error).message).not.toContain('\n');
      } finally {
        await srv.close();
      }
    }
  });

  it('HTTP: a reply of the wrong width after the probe, and a retry that succeeds', async () => {
    let calls = 0;
    const srv = await startServer((body, _q, res) => {
      calls++;
      const n = (JSON.parse(body) as { instances: unknown[] }).instances.length;
      if (calls === 2) return void (res.writeHead(503), res.end('busy'));
      res.end(JSON.stringify({ predictions: Array.from({ length: n }, () => (calls >= 4 ? [0.5, 0.2, 0.3] : [0.5, 0.5])) }));
    });
    try {
      const bb = await httpBlackBox(srv.url, { inputSize: 3, retries: 1, backoffMs: 5 });
      const out = await bb.predict(flatInputs(), 4); // 503 then success
      expect(Array.from(out)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
      expect(calls).toBe(3);
      await expect(bb.predict(flatInputs(), 4)).rejects.toThrow(/wrong shape: prediction 1 has 3 values, expected 2/);
    } finally {
      await srv.close();
    }
  });
});
