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
 *
 * Outputs: {@link checkOutputPath} refuses an output that is, or lies in, an input of the same
 * command, a device or folder given as a file, and a non-empty folder without `--force`;
 * {@link writeFolderAtomic} writes a folder output (a trained model, the demo) into a temporary
 * sibling and renames it into place when complete.
 */
import type { Stats } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { InputError, type ErrorLocation } from './errors.js';
import { describeFsError, fileKind, formatBytes, openRegularFile as openRegular } from './io.js';

/** Largest model file read into memory (ONNX's protobuf limit; also the weights of a Layers model). */
export const MAX_MODEL_FILE_BYTES = 2 * 2 ** 30;
/** Largest JSON file of a model (model.json, encoder.json): topology and categories, not weights. */
export const MAX_MODEL_JSON_BYTES = 64 * 2 ** 20;

export { fileKind, formatBytes } from './io.js';

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
export function openRegularFile(path: string, what?: string): Promise<{ handle: FileHandle; size: number }> {
  return openRegular(path, what === undefined ? 'a regular file' : `a regular file (${what})`);
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
    throw new InputError(`${describeFsError(e)} (${withArticle(what)})`, { file: full });
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

/** One input of a command, for {@link checkOutputPath}: the flag (or argument) and the path it names. */
export interface NamedInput {
  /** `--data`, `--model`, `<file>`. */
  flag: string;
  path: string;
}

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

const within = (root: string, p: string) => {
  const r = relative(root, p);
  return r !== '' && !r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r);
};

/**
 * Checks an output path before any work: a file output (`kind: 'file'`) must be a regular file or a
 * new path; a folder output must be a new path, an empty folder, or (with `force`) a folder to
 * replace. Neither may be, contain or lie in an input of the same command (the same path or the
 * same inode: a hard link counts), so that a run never destroys what it reads.
 *
 * @param flag the output's flag, for messages (default `--out`).
 * @throws InputError naming the flag, e.g. `--out: data.csv is the file given to --data; write the
 *   output elsewhere`, `--out: /dev/null is a device, expected a regular file or a new path`.
 * @example
 * await checkOutputPath('preds.csv', 'file', [{ flag: '--data', path: 'data.csv' }]);
 * await checkOutputPath('models/iris', 'folder', [], { force: true });
 */
export async function checkOutputPath(out: unknown, kind: 'file' | 'folder', inputs: readonly NamedInput[], opts: { flag?: string; force?: boolean } = {}): Promise<void> {
  const flag = opts.flag ?? '--out';
  if (typeof out !== 'string' || out.trim() === '') throw new InputError(`expected a ${kind === 'file' ? 'file' : 'folder'} name, got ${JSON.stringify(out ?? '')}`, { flag });
  if (out.includes('\0')) throw new InputError(`${JSON.stringify(out)} contains a NUL character`, { flag });
  const st = await statOrNull(out);
  if (st && kind === 'file' && !st.isFile()) {
    throw new InputError(`${out} is ${fileKind(st)}, expected a regular file or a new path`, { flag });
  }
  if (st && kind === 'folder') {
    if (!st.isDirectory()) throw new InputError(`${out} is ${fileKind(st)}, expected a folder or a new path`, { flag });
    const entries = await readdir(out);
    if (entries.length && !opts.force) throw new InputError(`${out} is a folder that is not empty (${entries.length} entries); pass --force to replace it`, { flag });
  }
  const realOut = st ? await realOrNull(out) : null;
  for (const input of inputs) {
    const ist = await statOrNull(input.path);
    if (!ist) continue;
    const realIn = await realOrNull(input.path);
    if (st && st.dev === ist.dev && st.ino === ist.ino) {
      const what = ist.isDirectory() ? 'folder' : 'file';
      const same = out === input.path ? `the ${what} given to ${input.flag}` : `the same ${what} as ${input.path} (given to ${input.flag})`;
      throw new InputError(`${out} is ${same}; write the output elsewhere`, { flag });
    }
    if (!realOut || !realIn) continue;
    if (ist.isDirectory() && st!.isFile() && dirname(realOut) === realIn) {
      throw new InputError(`${out} is a file of the ${input.flag} folder ${input.path}; write the output elsewhere`, { flag });
    }
    if (kind === 'folder' && within(realOut, realIn)) {
      throw new InputError(`replacing ${out} would delete ${input.path}, given to ${input.flag}; write the output elsewhere`, { flag });
    }
  }
}

let folderCounter = 0;

/**
 * Writes a folder all at once: `fill` writes into a new temporary sibling of `dir`, which is renamed
 * to `dir` only when `fill` has finished; a folder already at `dir` is moved aside first and
 * deleted after. A run killed while filling leaves the old folder untouched (and a `.NAME.*.tmp`
 * sibling to delete); one killed between the two renames leaves the old folder as `.NAME.*.old`.
 * Never a mix of old and new files. Check the path with {@link checkOutputPath} first.
 *
 * @example
 * await writeFolderAtomic('models/iris', async (tmp) => {
 *   await writeFile(join(tmp, 'model.json'), json);
 *   await writeFile(join(tmp, 'weights.bin'), weights);
 * });
 */
export async function writeFolderAtomic<T>(dir: string, fill: (tmp: string) => Promise<T>): Promise<T> {
  const parent = dirname(dir) || '.';
  await mkdir(parent, { recursive: true });
  const stem = `.${basename(dir)}.${process.pid}.${folderCounter++}`;
  const tmp = join(parent, `${stem}.tmp`);
  await mkdir(tmp);
  let result: T;
  try {
    result = await fill(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const old = join(parent, `${stem}.old`);
  let moved = false;
  try {
    await rename(dir, old);
    moved = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      await rm(tmp, { recursive: true, force: true });
      throw new InputError(describeFsError(e), { file: dir });
    }
  }
  try {
    await rename(tmp, dir);
  } catch (e) {
    if (moved) await rename(old, dir);
    await rm(tmp, { recursive: true, force: true });
    throw new InputError(describeFsError(e), { file: dir });
  }
  if (moved) await rm(old, { recursive: true, force: true });
  return result;
}
