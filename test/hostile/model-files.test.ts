/**
 * Hostile model folders: files a model names are read from inside its folder only, as regular
 * files of the listed size, checked before a byte is read. Each case: the exact one-line error,
 * exit 2.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseNetworkToOnnx } from '../../src/model/denseNetworkToOnnx.js';
import { onnx } from '../../src/model/onnxProto.js';
import { expectLine, runEach } from './sec-helpers.js';
import { EXPECTED, INPUTS, NETWORK, denseConfig, useLabelledCsv, writeKerasModel } from '../model/fixtures.js';

const tmp = useLabelledCsv();
const at = (...p: string[]) => join(tmp.dir(), ...p);

const predictArgs = (model: string) => ['predict', '--model', model, '--data', tmp.csv(), '--quiet'];

/** A Keras-converter model folder whose first shard path is `shard1`. */
async function modelWithShard(name: string, shard1: string): Promise<string> {
  const dir = at(name);
  const modelJson = await writeKerasModel(dir);
  const json = JSON.parse(await readFile(modelJson, 'utf8'));
  json.weightsManifest[0].paths[0] = shard1;
  await writeFile(modelJson, JSON.stringify(json));
  return dir;
}

/** The fixture network as ONNX with every initializer moved to external data at `location`. */
async function onnxWithExternalData(name: string, location: string, dataFile: string | null): Promise<string> {
  const dir = at(name);
  await mkdir(dir, { recursive: true });
  const proto = onnx.ModelProto.decode(denseNetworkToOnnx(NETWORK));
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of proto.graph!.initializer!) {
    const raw = t.rawData!;
    chunks.push(raw);
    t.externalData = [
      { key: 'location', value: location },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    t.dataLocation = 1;
    t.rawData = new Uint8Array(0);
    offset += raw.length;
  }
  if (dataFile) await writeFile(dataFile, Buffer.concat(chunks));
  await writeFile(join(dir, 'model.onnx'), onnx.ModelProto.encode(proto).finish());
  return join(dir, 'model.onnx');
}

beforeAll(async () => {
  await writeKerasModel(at('good'));
  await modelWithShard('passwd', '../../../../etc/passwd');
  await modelWithShard('sibling', '../good/group1-shard1of2.bin');
  await modelWithShard('zero', '/dev/zero');
  await writeKerasModel(at('fifo'));
  await writeFile(at('outside.bin'), new Uint8Array(32));
  await writeKerasModel(at('link-out'));
  await writeKerasModel(at('link-in'));
  await writeKerasModel(at('sparse'));
  await writeKerasModel(at('model-fifo'));
  await writeKerasModel(at('encoder-fifo'));
  await writeKerasModel(at('encoder-link'));
  execFileSync('mkfifo', [at('fifo', 'group1-shard1of2.bin.fifo')]);
  const fifoJson = JSON.parse(await readFile(at('fifo', 'model.json'), 'utf8'));
  fifoJson.weightsManifest[0].paths[0] = 'group1-shard1of2.bin.fifo';
  await writeFile(at('fifo', 'model.json'), JSON.stringify(fifoJson));
  const { rm } = await import('node:fs/promises');
  await rm(at('link-out', 'group1-shard1of2.bin'));
  await symlink(at('outside.bin'), at('link-out', 'group1-shard1of2.bin'));
  // A link that stays inside the folder is fine.
  await mkdir(at('link-in', 'shards'));
  await readFile(at('link-in', 'group1-shard1of2.bin')).then((b) => writeFile(at('link-in', 'shards', 'one.bin'), b));
  await rm(at('link-in', 'group1-shard1of2.bin'));
  await symlink(join('shards', 'one.bin'), at('link-in', 'group1-shard1of2.bin'));
  // 8 GiB that were never written: refused by size, without reading.
  await truncate(at('sparse', 'group1-shard2of2.bin'), 8 * 2 ** 30);
  await rm(at('model-fifo', 'model.json'));
  execFileSync('mkfifo', [at('model-fifo', 'model.json')]);
  execFileSync('mkfifo', [at('encoder-fifo', 'encoder.json')]);
  await writeFile(at('outside-encoder.json'), '{}');
  await symlink(at('outside-encoder.json'), at('encoder-link', 'encoder.json'));
  execFileSync('mkfifo', [at('pipe.onnx')]);
  execFileSync('mkfifo', [at('pipe.keras')]);
  // ONNX external data: beside the model (fine), outside it, absolute, named after a file of the working folder.
  await onnxWithExternalData('ext-ok', 'weights.data', at('ext-ok', 'weights.data'));
  await mkdir(at('ext-out'));
  await onnxWithExternalData('ext-out', '../outside.data', at('outside.data'));
  await onnxWithExternalData('ext-abs', at('outside.data'), null);
  await onnxWithExternalData('ext-cwd', 'package.json', null);
  await onnxWithExternalData('ext-short', 'weights.data', null);
  await writeFile(at('ext-short', 'weights.data'), new Uint8Array(10));
  // An input layer and 1001 dense layers: refused before TF.js recurses through them.
  const layers = [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 3], dtype: 'float32', name: 'input_1' } }];
  for (let i = 0; i < 1001; i++) layers.push(denseConfig(`d${i}`, 2, 'relu') as never);
  await mkdir(at('deep'));
  await writeFile(at('deep', 'model.json'), JSON.stringify({ format: 'layers-model', modelTopology: { model_config: { class_name: 'Sequential', config: { name: 's', layers } } }, weightsManifest: [] }));
  // A configuration nested 5000 levels deep (a stack overflow for a recursive walk), written as text.
  const nested = '['.repeat(5000) + ']'.repeat(5000);
  await mkdir(at('nested'));
  await writeFile(
    at('nested', 'model.json'),
    `{"format": "layers-model", "modelTopology": {"model_config": {"class_name": "Sequential", "config": {"name": "s", "layers": [], "extra": ${nested}}}}, "weightsManifest": []}`,
  );
  // A .keras archive whose config.json claims to inflate to 3 GiB.
  const zip = zipSync({ 'config.json': new TextEncoder().encode('{}'), 'model.weights.h5': new Uint8Array(8) });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  for (let o = 0; o + 4 <= zip.length; o++) if (view.getUint32(o, true) === 0x02014b50 && zip[o + 46] === 0x63 /* 'c' */) view.setUint32(o + 24, 3 * 2 ** 30, true);
  await writeFile(at('bomb.keras'), zip);
});

describe('model folders: nothing read outside the model, special files refused', () => {
  it('weight paths that leave the folder, special files, sizes, links', async () => {
    const json = (name: string) => at(name, 'model.json');
    const cases: [string, string][] = [
      [at('passwd'), `${json('passwd')}: at $.weightsManifest[0].paths[0]: weight file "../../../../etc/passwd" leaves the model folder (".."); files of a model must be inside its folder`],
      [at('sibling'), `${json('sibling')}: at $.weightsManifest[0].paths[0]: weight file "../good/group1-shard1of2.bin" leaves the model folder (".."); files of a model must be inside its folder`],
      [at('zero'), `${json('zero')}: at $.weightsManifest[0].paths[0]: weight file "/dev/zero" is an absolute path; files of a model must be named relative to its folder`],
      [at('fifo'), `${at('fifo', 'group1-shard1of2.bin.fifo')}: is a named pipe (FIFO), expected a regular file (a weight file)`],
      [
        at('link-out'),
        `${json('link-out')}: at $.weightsManifest[0].paths[0]: weight file "group1-shard1of2.bin" is a symbolic link to ${at('outside.bin')}, outside the model folder; files of a model must be inside its folder`,
      ],
      [at('sparse'), `${at('sparse', 'group1-shard2of2.bin')}: 8 GiB (8589934592 bytes), over the 2 GiB limit for a weight file`],
      [at('model-fifo'), `${json('model-fifo')}: is a named pipe (FIFO), expected a regular file (a model.json file)`],
      [at('encoder-fifo'), `${at('encoder-fifo', 'encoder.json')}: is a named pipe (FIFO), expected a regular file (an encoder file)`],
      [
        at('encoder-link'),
        `${at('encoder-link')}: encoder file "encoder.json" is a symbolic link to ${at('outside-encoder.json')}, outside the model folder; files of a model must be inside its folder`,
      ],
      ['/dev/zero', '/dev/zero: is a device, expected a regular file (a model.json file)'],
      [at('pipe.onnx'), `${at('pipe.onnx')}: is a named pipe (FIFO), expected a regular file (an ONNX model file)`],
      [at('pipe.keras'), `${at('pipe.keras')}: is a named pipe (FIFO), expected a regular file (a Keras model file)`],
      [at('bomb.keras'), `${at('bomb.keras')}: config.json inflates to 3 GiB, over the 64 MiB limit`],
      [at('deep'), `${json('deep')}: at $.modelTopology: the model has 1002 layers; at most 1000 are supported`],
      [at('nested'), `${json('nested')}: at $.modelTopology: the model configuration is nested more than 100 levels deep`],
    ];
    const results = await runEach(cases.map(([model]) => predictArgs(model)));
    results.forEach((r, i) => expectLine(r, cases[i][1]));
  }, 600_000);

  it('ONNX external data: read beside the model, refused outside it', async () => {
    const onnxAt = (name: string) => at(name, 'model.onnx');
    const cases: [string, string][] = [
      [
        onnxAt('ext-out'),
        `${onnxAt('ext-out')}: at initializer "W0" external data: external data file "../outside.data" leaves the model folder (".."); files of a model must be inside its folder`,
      ],
      [
        onnxAt('ext-abs'),
        `${onnxAt('ext-abs')}: at initializer "W0" external data: external data file ${JSON.stringify(at('outside.data'))} is an absolute path; files of a model must be named relative to its folder`,
      ],
      [onnxAt('ext-cwd'), `${at('ext-cwd', 'package.json')}: no such file or folder (an external data file)`],
      [onnxAt('ext-short'), `${at('ext-short', 'weights.data')}: initializer "W0" needs bytes 0 to 24, past the end of the file (10 bytes)`],
    ];
    const [ok, ...results] = await runEach([predictArgs(onnxAt('ext-ok')), ...cases.map(([model]) => predictArgs(model))]);
    results.forEach((r, i) => expectLine(r, cases[i][1]));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const rows = ok.stdout.trim().split('\n').slice(1);
    expect(rows).toHaveLength(INPUTS.length);
    rows.forEach((line, i) => line.split(',').slice(0, 2).forEach((v, j) => expect(Math.abs(Number(v) - EXPECTED[i][j])).toBeLessThan(1e-5)));
  }, 600_000);

  it('a symbolic link that stays inside the folder is followed', async () => {
    const [r] = await runEach([predictArgs(at('link-in'))]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(INPUTS.length + 1);
  }, 300_000);
});
