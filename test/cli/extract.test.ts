import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseNetworkToOnnx, importRuleSet, type TabularModel } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { trainedModel } from '../helpers/trained.js';

let dir: string;
/** The Layers model folder (trained once per run). */
let layersDir: string;
let server: Server;
let url: string;
let model: TabularModel;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sd-cli-extract-'));
  ({ model, dir: layersDir } = await trainedModel('builtin:iris', { hidden: [8], epochs: 60, seed: 2 }));
  await mkdir(join(dir, 'onnx'));
  await writeFile(join(dir, 'onnx', 'model.onnx'), denseNetworkToOnnx(model.blackBox.denseNetwork!()));
  await copyFile(join(layersDir, 'encoder.json'), join(dir, 'onnx', 'encoder.json'));
  // A TF-Serving-style REST endpoint around the same network.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      const { instances } = JSON.parse(body) as { instances: number[][] };
      const out = await model.blackBox.predict(Float32Array.from(instances.flat()), instances.length);
      const k = model.outputSize;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ predictions: instances.map((_, i) => Array.from(out.subarray(i * k, (i + 1) * k))) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/models/iris:predict`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await model?.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('distill extract', () => {
  it('extracts the same rules from a Layers model, its ONNX copy and an HTTP endpoint serving it', async () => {
    const common = ['extract', '--data', 'builtin:iris', '--method', 'cart', '--samples', '2000', '--max-leaves', '5', '--seed', '9'];
    const layers = await runCli([...common, '--model', layersDir, '--out', join(dir, 'layers.json')]);
    expect(layers.code, layers.stderr).toBe(0);
    expect(layers.stderr).toMatch(/cart: \d+ leaves, \d+ conditions, \d+ features; fidelity \(agreement\) [01]\.\d{3} .* on held-out 20% of builtin:iris \(30 rows\)/);
    const onnx = await runCli([...common, '--model', join(dir, 'onnx', 'model.onnx'), '--format', 'text', '--quiet']);
    expect(onnx.code, onnx.stderr).toBe(0);
    expect(onnx.stdout).toMatch(/^Decision tree/);
    expect(onnx.stdout).toMatch(/\ncart: \d+ leaves, .* on held-out 20% of builtin:iris \(30 rows\)\n$/);
    const http = await runCli([...common, '--model', url, '--encoder', join(layersDir, 'encoder.json'), '--quiet']);
    expect(http.code, http.stderr).toBe(0);

    const a = importRuleSet(await readFile(join(dir, 'layers.json'), 'utf8'), 'layers.json');
    const c = importRuleSet(http.stdout, 'stdout');
    expect(a.provenance).toMatchObject({ method: 'cart', seed: 9, samples: 120 + 2000, data: 'builtin:iris', model: { type: 'tfjs-layers' } });
    expect(a.provenance.options).toMatchObject({ samples: 2000, maxLeaves: 5 });
    expect(a.provenance.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(c.provenance.model?.type).toBe('http');
    // Same network, same seed: the same tree and fidelity, whatever serves the network.
    expect(c.surrogate).toEqual(a.surrogate);
    expect(c.fidelity).toEqual(a.fidelity);
    expect(a.fidelity!.value).toBeGreaterThanOrEqual(0.9);
    expect(onnx.stdout).toContain(`fidelity (agreement) ${a.fidelity!.value.toFixed(3)}`);
  }, 120_000);

  it('rejects flags the method does not have, and bad --options, before loading anything', async () => {
    const r = await runCli(['extract', '--model', 'nowhere', '--data', 'builtin:iris', '--method', 'trepan', '--max-depth', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^distill: --max-depth: method trepan has no such option \(its options: maxNodes, minSamples/);
    const o = await runCli(['extract', '--model', 'nowhere', '--data', 'builtin:iris', '--method', 'cart', '--options', '{bad']);
    expect(o.code).toBe(2);
    expect(o.stderr).toMatch(/^distill: --options: expected a JSON object/);
  }, 60_000);
});
