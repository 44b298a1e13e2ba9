/**
 * Reading files the toolkit did not choose: a model folder an auditor received, and the paths its
 * files name inside it (weight shards, ONNX external data, encoder.json). Such a folder is
 * untrusted, so every file read from it is
 *
 * - named by a relative path that stays inside the folder: no absolute path, no `..` step, and no
 *   symbolic link whose target (resolved with `realpath`) lies outside;
 * - a regular file: a named pipe would block forever, a device such as `/dev/zero` never ends;
 * - of the size the model lists (when it lists one) and within a size limit, both checked on the
 *   open file before a byte is read.
 *
 * Each refusal is an {@link InputError}: one line naming the file (or the place in the model file
 * that names it) and the rule it broke. The files a user names on the command line are trusted as
 * paths (symbolic links followed), but must still be regular files within a size limit
 * ({@link readRegularFile}).
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { InputError, type ErrorLocation } from './errors.js';
import { describeFsError } from './io.js';

/** Largest model file read into memory (ONNX's protobuf limit; also the weights of a Layers model). */
export const MAX_MODEL_FILE_BYTES = 2 * 2 ** 30;
/** Largest JSON file of a model (model.json, encoder.json): topology and categories, not weights. */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;

/**
 * A byte count for people: `64 MiB`, `512 KiB`, `100 bytes` (binary units, at most one decimal).
 *
 * @example
 * formatBytes(64 * 2 ** 20); // '64 MiB'
 * formatBytes(1536); // '1.5 KiB'
 */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number(v.toFixed(1))} ${units[u]}`;
}

/** What a path names when it is not a regular file, for messages: `a folder`, `a device`... */
export function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFile()) return 'a file';
  return 'not a regular file';
}

/**
 * Opens `path` for reading only when it is a regular file. It is opened non-blocking (opening a
 * named pipe for reading would otherwise wait for a writer forever) and checked on the open
 * descriptor, so a path swapped after a check cannot slip through.
 *
 * @param what the kind of file expected, for messages (`an ONNX model file`).
 * @throws InputError `m.onnx: is a named pipe (FIFO), expected a regular file (an ONNX model file)`,
 *   or for a missing or unreadable file.
 * @example
 * const { handle, size } = await openRegularFile('model.onnx', 'an ONNX model file');
 * try { ... } finally { await handle.close(); }
 */
export async function openRegularFile(path: string, what = 'a regular file'): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    handle = await open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  } catch (e) {
    throw new InputError(describeFsError(e), { file: path });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new InputError(`is ${fileKind(st)}, expected a regular file (${what})`, { file: path });
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** `a weight file`, `an encoder file`. */
const withArticle = (what: string) => `${/^[aeiou]/i.test(what) ? 'an' : 'a'} ${what}`;

/** Reads `size` bytes from the start of an open file (at most: a file that shrank gives fewer). */
async function readAll(handle: FileHandle, size: number, offset = 0): Promise<Uint8Array> {
  const buf = new Uint8Array(size);
  let got = 0;
  while (got < size) {
    const { bytesRead } = await handle.read(buf, got, size - got, offset + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === size ? buf : buf.subarray(0, got);
}

function tooLarge(size: number, maxBytes: number, what: string, loc: ErrorLocation): InputError {
  return new InputError(`${formatBytes(size)} (${size} bytes), over the ${formatBytes(maxBytes)} limit for ${what}`, loc);
}

/**
 * Reads a file the user named (trusted as a path: symbolic links are followed) when it is a regular
 * file no larger than `maxBytes`, checked before reading.
 *
 * @param opts.what the kind of file, for messages (`an ONNX model file`).
 * @throws InputError for a missing file, a special file (pipe, device, folder, socket), or one
 *   over the limit.
 * @example
 * const bytes = await readRegularFile('model.onnx', { maxBytes: MAX_MODEL_FILE_BYTES, what: 'an ONNX model file' });
 */
export async function readRegularFile(path: string, opts: { maxBytes: number; what: string }): Promise<Uint8Array> {
  const { handle, size } = await openRegularFile(path, opts.what);
  try {
    if (size > opts.maxBytes) throw tooLarge(size, opts.maxBytes, opts.what, { file: path });
    return await readAll(handle, size);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(describeFsError(e), { file: path });
  } finally {
    await handle.close();
  }
}

/** Where a model names a file, for messages: the model file and the place in it. */
export interface NamedAt {
  /** The model file that names the path (model.json, model.onnx). */
  file: string;
  /** The place in it, e.g. `$.weightsManifest[0].paths[1]` or `initializer "W1" external data`. */
  path?: string;
}

/**
 * Resolves `relPath`, named by a file of the model folder `dir`, to the real path of a file inside
 * that folder.
 *
 * @param what the kind of file, for messages (`weight file`).
 * @param at where the path is named (a model file and a place in it), blamed for a path that is
 *   absolute, climbs out with `..`, or is a symbolic link pointing outside.
 * @throws InputError naming the rule broken, e.g. `m/model.json: at $.weightsManifest[0].paths[0]:
 *   weight file "../../etc/passwd" leaves the model folder ("..")`.
 * @example
 * await resolveInsideFolder('models/iris', 'weights.bin', 'weight file', { file: 'models/iris/model.json' });
 * // '/home/me/models/iris/weights.bin'
 */
export async function resolveInsideFolder(dir: string, relPath: unknown, what: string, at: NamedAt): Promise<string> {
  const loc: ErrorLocation = { file: at.file, path: at.path };
  if (typeof relPath !== 'string' || relPath === '') throw new InputError(`${what}: expected a file name, got ${JSON.stringify(relPath) ?? String(relPath)}`, loc);
  const shown = JSON.stringify(relPath);
  if (relPath.includes('\0')) throw new InputError(`${what} ${shown} contains a NUL character`, loc);
  if (isAbsolute(relPath) || /^[A-Za-z]:/.test(relPath) || relPath.startsWith('\\')) {
    throw new InputError(`${what} ${shown} is an absolute path; files of a model must be named relative to its folder`, loc);
  }
  if (relPath.split(/[\\/]/).includes('..')) throw new InputError(`${what} ${shown} leaves the model folder (".."); files of a model must be inside its folder`, loc);
  let root: string;
  try {
    root = await realpath(dir);
  } catch (e) {
    throw new InputError(describeFsError(e), { file: dir });
  }
  const full = join(dir, relPath);
  let real: string;
  try {
    real = await realpath(full);
  } catch (e) {
    throw new InputError(`${what}: ${describeFsError(e)}`, { file: full });
  }
  const inside = relative(root, real);
  if (inside.startsWith('..' + sep) || inside === '..' || isAbsolute(inside)) {
    throw new InputError(`${what} ${shown} is a symbolic link to ${real}, outside the model folder; files of a model must be inside its folder`, loc);
  }
  return real;
}

/** A checked file of a model folder, open for reading. */
export interface ModelFile {
  /** The path as the model names it, joined to the folder (for messages). */
  path: string;
  size: number;
  /** Reads `length` bytes at `offset` (default: the whole file). */
  read(offset?: number, length?: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * Opens a file named by a model (`relPath`, relative to the model folder `dir`) after the checks
 * of {@link resolveInsideFolder}, when it is a regular file no larger than `maxBytes`.
 *
 * @throws InputError as {@link resolveInsideFolder}, for a special file, or one over the limit.
 * @example
 * const f = await openModelFile('m', 'weights.bin', { what: 'weight file', at: { file: 'm/model.json' } });
 * try { if (f.size === 56) bytes = await f.read(); } finally { await f.close(); }
 */
export async function openModelFile(dir: string, relPath: unknown, opts: { what: string; at: NamedAt; maxBytes?: number }): Promise<ModelFile> {
  const real = await resolveInsideFolder(dir, relPath, opts.what, opts.at);
  const path = join(dir, relPath as string);
  let opened: { handle: FileHandle; size: number };
  try {
    opened = await openRegularFile(real, withArticle(opts.what));
  } catch (e) {
    // Name the file as the model names it, not its resolved path.
    if (e instanceof InputError) throw new InputError(e.detail, { file: path });
    throw e;
  }
  const { handle, size } = opened;
  const maxBytes = opts.maxBytes ?? MAX_MODEL_FILE_BYTES;
  if (size > maxBytes) {
    await handle.close();
    throw tooLarge(size, maxBytes, withArticle(opts.what), { file: path });
  }
  return {
    path,
    size,
    async read(offset = 0, length = size - offset) {
      try {
        const bytes = await readAll(handle, length, offset);
        if (bytes.length !== length) throw new InputError(`${opts.what} changed while it was read (${bytes.length} of ${length} bytes)`, { file: path });
        return bytes;
      } catch (e) {
        if (e instanceof InputError) throw e;
        throw new InputError(describeFsError(e), { file: path });
      }
    },
    close: () => handle.close(),
  };
}

/**
 * Reads a file named by a model, inside its folder (see {@link openModelFile}), checking its size
 * before reading: exactly `expectedBytes` when the model lists it, else at most `maxBytes`.
 *
 * @param dir the model's folder.
 * @param relPath the path as the model file names it.
 * @param opts.what the kind of file (`weight file`); `at` where the path is named.
 * @throws InputError for a path outside the folder, a special file, a size that differs from
 *   `expectedBytes`, or one over `maxBytes` (default {@link MAX_MODEL_FILE_BYTES}).
 * @example
 * const enc = await readModelFile('models/iris', 'encoder.json', { what: 'encoder file', at: { file: 'models/iris' }, maxBytes: MAX_MODEL_JSON_BYTES });
 */
export async function readModelFile(
  dir: string,
  relPath: unknown,
  opts: { what: string; at: NamedAt; expectedBytes?: number; maxBytes?: number },
): Promise<Uint8Array> {
  const f = await openModelFile(dir, relPath, opts);
  try {
    if (opts.expectedBytes !== undefined && f.size !== opts.expectedBytes) {
      throw new InputError(`${opts.what} holds ${f.size} bytes, ${opts.at.file} lists ${opts.expectedBytes}`, { file: f.path });
    }
    return await f.read();
  } finally {
    await f.close();
  }
}
