/**
 * The queue's content-addressed store: every input of a job (model files, encoder, the data the
 * statistics come from, the job itself) is kept in Redis under the SHA-256 of its bytes, gzipped,
 * so that a worker needs nothing but the queue URL. Workers keep what they fetched on disk, by
 * hash, and fetch each input once.
 *
 * Keys: `distill:blob:<sha256 hex>` (gzip of the bytes; expire {@link BLOB_TTL_SECONDS} after the
 * last run that stored them).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join, normalize } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { Redis } from 'ioredis';
import { resolveModelSpec } from '../../model/loadModel.js';
import type { ModelOrigin } from '../../model/types.js';
import { InputError } from '../../util/errors.js';
import { pathExists as exists, readBinaryFile } from '../../util/io.js';

/** Prefix of every key the toolkit writes (BullMQ's queue keys too). */
export const KEY_PREFIX = 'distill';

/** Seconds an input stays in Redis after the last run that stored it. */
export const BLOB_TTL_SECONDS = 7 * 24 * 3600;

const blobKey = (hash: string) => `${KEY_PREFIX}:blob:${hash}`;

/** SHA-256 (hex) of bytes. */
export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Stores `bytes` under their hash (once; the expiry is renewed) and resolves to the hash. */
export async function putBlob(redis: Redis, bytes: Uint8Array | string): Promise<string> {
  const hash = sha256Hex(bytes);
  const key = blobKey(hash);
  const kept = await redis.expire(key, BLOB_TTL_SECONDS);
  if (!kept) await redis.set(key, gzipSync(bytes), 'EX', BLOB_TTL_SECONDS);
  return hash;
}

/** The default folder where a worker keeps fetched inputs: `$XDG_CACHE_HOME/surrogate-distill`, else `~/.cache/surrogate-distill`. */
export function defaultCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'surrogate-distill');
}


async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.floor(performance.now() * 1000)}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/**
 * The bytes stored under `hash`: from the disk cache, else from Redis (checked against the hash,
 * then cached).
 *
 * @throws Error when Redis no longer has it (expired) or the bytes do not match their hash.
 */
export async function getBlob(redis: Redis, hash: string, cacheDir: string): Promise<Buffer> {
  if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a SHA-256 hash: ${hash}`);
  const file = join(cacheDir, 'blobs', hash);
  if (await exists(file)) return readFile(file);
  const packed = await redis.getBuffer(blobKey(hash));
  if (!packed) throw new Error(`input ${hash.slice(0, 12)} is no longer in the queue (expired?): run the command again`);
  const bytes = gunzipSync(packed);
  if (sha256Hex(bytes) !== hash) throw new Error(`input ${hash.slice(0, 12)} does not match its hash`);
  await writeAtomic(file, bytes);
  return bytes;
}

/** The model's files as the queue stores them: names relative to the model folder, and hashes. */
export interface StoredModel {
  origin: Omit<ModelOrigin, 'spec' | 'encoder'> & { url?: string };
  /** Hash of the encoder's JSON. */
  encoder: string;
  /** The file `loadModel` is pointed at, relative to the folder (`model.json`, `net.onnx`); absent for an endpoint. */
  main?: string;
  files: { name: string; hash: string }[];
}

/**
 * Stores the files of a model loaded from disk (a Layers model.json and its shards, or one
 * .onnx file) and its encoder; an HTTP endpoint stores only its URL.
 *
 * @throws InputError when a file cannot be read.
 */
export async function putModel(redis: Redis, origin: ModelOrigin): Promise<StoredModel> {
  const { spec, encoder, ...rest } = origin;
  const encoderHash = await putBlob(redis, JSON.stringify(encoder));
  if (origin.kind === 'http') return { origin: { ...rest, url: spec }, encoder: encoderHash, files: [] };
  const { path } = await resolveModelSpec(spec);
  const names = [basename(path)];
  if (origin.kind === 'tfjs-layers') {
    const json = JSON.parse(new TextDecoder().decode(await readBinaryFile(path))) as { weightsManifest?: { paths?: string[] }[] };
    for (const g of json.weightsManifest ?? []) names.push(...(g.paths ?? []));
  }
  const files: StoredModel['files'] = [];
  for (const name of names) files.push({ name, hash: await putBlob(redis, await readBinaryFile(join(dirname(path), name))) });
  return { origin: rest, encoder: encoderHash, main: names[0], files };
}

/** A stored file name must stay inside its model folder. */
function safeName(name: string): string {
  const n = normalize(name);
  if (n.startsWith('..') || n.startsWith('/') || /^[a-zA-Z]:/.test(n)) throw new InputError(`a model file name leaves the model folder: ${JSON.stringify(name)}`);
  return n;
}

/**
 * Fetches a stored model into the cache (`models/<hash of its file list>/`) and resolves to the
 * origin a worker loads it from (its `spec` that folder's main file, or the endpoint URL).
 */
export async function fetchModel(redis: Redis, stored: StoredModel, cacheDir: string): Promise<ModelOrigin> {
  const encoder = JSON.parse((await getBlob(redis, stored.encoder, cacheDir)).toString('utf8')) as ModelOrigin['encoder'];
  const { url, ...origin } = stored.origin;
  if (origin.kind === 'http') return { ...origin, spec: url!, encoder };
  const dir = join(cacheDir, 'models', sha256Hex(JSON.stringify(stored.files)));
  for (const f of stored.files) {
    const target = join(dir, safeName(f.name));
    if (!(await exists(target))) await writeAtomic(target, await getBlob(redis, f.hash, cacheDir));
  }
  return { ...origin, spec: join(dir, safeName(stored.main!)), encoder };
}
