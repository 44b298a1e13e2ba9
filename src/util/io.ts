/**
 * File output that never leaves a half-written file: write to a temporary file beside the target,
 * then rename it into place (atomic on one file system).
 */
import { constants as fsConstants } from 'node:fs';
import { access, mkdir, open, readFile, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError } from './errors.js';

let counter = 0;

/**
 * Writes `data` to `path` atomically, creating the parent folder.
 *
 * @example
 * await writeFileAtomic('out/rules.json', json);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path) || '.', { recursive: true });
  const tmp = join(dirname(path) || '.', `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** A file being written atomically: text goes to a temporary file that `commit` renames into place. */
export interface AtomicFile {
  /** Appends text (buffered; written in large chunks). */
  write(text: string): Promise<void>;
  /** Flushes, closes and renames the temporary file onto the target. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is left as it was. Safe to call after a failure. */
  abort(): Promise<void>;
}

/**
 * Opens `path` for writing row by row without ever showing a half-written file: the text goes to
 * a temporary file beside it (created exclusively, in the same folder so the rename is atomic),
 * renamed onto `path` by `commit()`; `abort()` (or a crash) leaves `path` untouched.
 *
 * @example
 * const out = await openAtomicFile('predictions.csv');
 * try {
 *   for (const line of lines) await out.write(line + '\n');
 *   await out.commit();
 * } catch (e) {
 *   await out.abort();
 *   throw e;
 * }
 */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  await mkdir(dirname(path) || '.', { recursive: true });
  const tmp = join(dirname(path) || '.', `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const handle = await open(tmp, 'wx');
  let pending: string[] = [];
  let size = 0;
  let closed = false;
  const flush = async () => {
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await handle.write(text);
  };
  return {
    async write(text) {
      pending.push(text);
      size += text.length;
      if (size >= 1 << 20) await flush();
    },
    async commit() {
      await flush();
      closed = true;
      await handle.close();
      await rename(tmp, path);
    },
    async abort() {
      pending = [];
      if (!closed) {
        closed = true;
        await handle.close().catch(() => undefined);
      }
      await rm(tmp, { force: true });
    },
  };
}

/** Reads a text file, turning a missing or unreadable file into a one-line {@link InputError}. */
export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError(describeFsError(e), { file: path });
  }
}

/** Reads a binary file, turning a missing or unreadable file into a one-line {@link InputError}. */
export async function readBinaryFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new InputError(describeFsError(e), { file: path });
  }
}

/** What a path names when it is not a regular file, for messages. */
/** What a path names when it is not a regular file, for messages: `a folder`, `a device`... */
export function fileKind(st: { isDirectory(): boolean; isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFile(): boolean }): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFile()) return 'a file';
  return 'not a regular file';
}

/**
 * Opens a file for reading only when it is a regular file: a named pipe (which would block until
 * someone writes to it), a device such as `/dev/zero` (endless), a socket or a folder is refused
 * before a byte is read. The file is opened non-blocking and checked on the open descriptor, so a
 * path swapped after a check cannot slip through.
 *
 * @param what a phrase for messages, e.g. `a data file`.
 * @throws InputError `data.csv: is a named pipe (FIFO), expected a regular file`, or for a missing
 *   or unreadable file.
 * @example
 * const { handle, size } = await openRegularFile('data.csv', 'a data file');
 * try { ... } finally { await handle.close(); }
 */
export async function openRegularFile(path: string, what = 'a regular file'): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    const flags = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);
    handle = await open(path, flags);
  } catch (e) {
    throw new InputError(describeFsError(e), { file: path });
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new InputError(`is ${fileKind(st)}, expected ${what}`, { file: path });
    return { handle, size: st.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Reads a regular file as UTF-8 text, refusing special files (see {@link openRegularFile}) and
 * files larger than `maxBytes` before reading them.
 *
 * @param opts `maxBytes`: the limit; `what`: the kind of file for messages (`rule set files`);
 *   `limitHint`: how to raise the limit, appended to the message.
 * @throws InputError `big.json: 104857600 bytes, over the 64 MiB limit for rule set files (...)`.
 * @example
 * const text = await readTextFileWithin('rules.json', { maxBytes: 64 * 2 ** 20, what: 'rule set files' });
 */
export async function readTextFileWithin(path: string, opts: { maxBytes: number; what: string; limitHint?: string }): Promise<string> {
  const { handle, size } = await openRegularFile(path, `a regular file (one of the ${opts.what})`);
  try {
    const over = (bytes: number) =>
      new InputError(`${bytes} bytes, over the ${formatBytes(opts.maxBytes)} limit for ${opts.what}${opts.limitHint ? ` (${opts.limitHint})` : ''}`, { file: path });
    if (size > opts.maxBytes) throw over(size);
    // Read at most one byte past the limit, in case the file grew after the check.
    const buf = Buffer.alloc(Math.min(size, opts.maxBytes) + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got === buf.length) break;
    }
    if (got > opts.maxBytes) throw over(got);
    return buf.subarray(0, got).toString('utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(describeFsError(e), { file: path });
  } finally {
    await handle.close();
  }
}

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

/** Short human text for a file-system error. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder, expected a file';
  if (code === 'ENOTDIR') return 'not a folder';
  return (e as Error)?.message ?? String(e);
}

/** Whether `path` exists (a file or a folder). */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
