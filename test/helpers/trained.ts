/**
 * Networks the tests need, trained at most once per run: `trainMlp` on a data set with given
 * options, saved (model.json, weights.bin, encoder.json, metrics.json) under
 * `.tmp/fixtures/models/KEY/`, where KEY hashes the data, the options, the backend and the source
 * of everything training depends on (src/data, src/model, src/util, the tfjs version). A later
 * test, file or run asking for the same network loads the saved folder: the same float32 weights,
 * so the same predictions as the network just trained.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadDataset } from '../../src/data/index.js';
import type { Dataset } from '../../src/data/types.js';
import { initBackend, loadModel, trainMlp, type TrainOptions } from '../../src/model/index.js';
import type { TabularModel } from '../../src/model/types.js';
import { ROOT } from './cli.js';

const CACHE = join(ROOT, '.tmp', 'fixtures', 'models');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

let sourceHash: string | null = null;

/** Hash of what a trained network depends on besides its options: the toolkit's sources and tfjs. */
function sources(): string {
  if (sourceHash) return sourceHash;
  const h = createHash('sha256');
  for (const f of ['data', 'model', 'util'].flatMap((d) => files(join(ROOT, 'src', d)))) h.update(f.slice(ROOT.length)).update(readFileSync(f));
  h.update(readFileSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json')));
  sourceHash = h.digest('hex');
  return sourceHash;
}

/** In-flight trainings of this process, so that concurrent requests for one network train it once. */
const pending = new Map<string, Promise<string>>();

/**
 * The folder of a network trained on `data` (a builtin or file spec) with `options`: trained and
 * saved on the first request, read from the cache afterwards. The network is trained on
 * `options.backend`, wasm by default (the one `trainMlp` picks here), whatever backend earlier tests
 * selected; the backend in use is the same before and after the call.
 *
 * @example
 * const dir = await trainedModelDir('builtin:iris', { hidden: [8], epochs: 60, seed: 2 });
 */
export function trainedModelDir(data: string, options: TrainOptions = {}): Promise<string> {
  const opts = { backend: 'wasm', ...options };
  const key = createHash('sha256').update(JSON.stringify({ data, opts, sources: sources() })).digest('hex').slice(0, 16);
  const dir = join(CACHE, key);
  if (existsSync(join(dir, 'model.json'))) return Promise.resolve(dir);
  if (!pending.has(key)) {
    pending.set(
      key,
      (async () => {
        // Training selects its backend; the caller's stays selected afterwards.
        const before = tf.getBackend();
        const trained = await trainMlp(await loadDataset(data), opts).finally(() => initBackend(before));
        // Saved beside the cache entry, then renamed into place: a reader never sees half a model.
        const tmp = `${dir}.${process.pid}.tmp`;
        await rm(tmp, { recursive: true, force: true });
        await trained.save(tmp);
        await trained.model.dispose();
        await mkdir(CACHE, { recursive: true });
        await rename(tmp, dir).catch(async (e: NodeJS.ErrnoException) => {
          // Another test process saved the same network first: keep its copy.
          if (!existsSync(join(dir, 'model.json'))) throw e;
          await rm(tmp, { recursive: true, force: true });
        });
        return dir;
      })().finally(() => pending.delete(key)),
    );
  }
  return pending.get(key)!;
}

/**
 * The network of {@link trainedModelDir} loaded as a TabularModel (on the backend it was trained
 * on), with the data set. Dispose the model after use.
 *
 * @example
 * const { model, data } = await trainedModel('builtin:iris', { hidden: [8], epochs: 100, seed: 1 });
 */
export async function trainedModel(data: string, options: TrainOptions = {}): Promise<{ model: TabularModel; data: Dataset; dir: string }> {
  const dir = await trainedModelDir(data, options);
  const ds = await loadDataset(data);
  const model = await loadModel(dir, { data: ds, backend: options.backend ?? 'wasm' });
  return { model, data: ds, dir };
}
