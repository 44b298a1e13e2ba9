/**
 * File output that never leaves a half-written file: write to a temporary file beside the target,
 * then rename it into place (atomic on one file system).
 */
import { access, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/**
 * Writes a folder of files as one step: into a temporary sibling folder first, renamed into place
 * once every file is written, so that `dir` is either absent, its old self, or complete. An
 * existing non-empty `dir` is replaced only with `force` (its old content removed after the new
 * folder is in place); without it the call fails and writes nothing.
 *
 * @param files relative path → content.
 * @throws InputError naming `flag` for an existing non-empty folder without `force`, or a path that
 *   is a file.
 * @example
 * await writeFolderAtomic('audit', { 'report.html': html, 'manifest.json': manifest }, { force: false });
 */
export async function writeFolderAtomic(dir: string, files: Record<string, string | Uint8Array>, opts: { force?: boolean; flag?: string } = {}): Promise<void> {
  const existing = await checkFolderTarget(dir, opts);
  const parent = dirname(dir) || '.';
  await mkdir(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.${process.pid}.${counter++}.tmp`);
  const old = join(parent, `.${basename(dir)}.${process.pid}.${counter++}.old`);
  try {
    await mkdir(tmp);
    for (const [name, data] of Object.entries(files)) {
      await mkdir(dirname(join(tmp, name)), { recursive: true });
      await writeFile(join(tmp, name), data);
    }
    if (existing) await rename(dir, old);
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  if (existing) await rm(old, { recursive: true, force: true });
}

/**
 * Checks that a folder may be written at `dir` ({@link writeFolderAtomic}'s rule), before any work
 * is done: resolves to its entries when it exists (null when it does not).
 *
 * @throws InputError naming `flag` (default `--out`) for a file, or a non-empty folder without `force`.
 */
export async function checkFolderTarget(dir: string, opts: { force?: boolean; flag?: string } = {}): Promise<string[] | null> {
  const flag = opts.flag ?? '--out';
  let existing: string[] | null = null;
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) throw new InputError(`${dir} is a file, expected a folder (or a path that does not exist)`, { flag });
    existing = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') {
      if (e instanceof InputError) throw e;
      throw new InputError(describeFsError(e), { flag, file: dir });
    }
  }
  if (existing?.length && !opts.force) throw new InputError(`${dir} exists and is not empty; pass --force to replace it`, { flag });
  return existing;
}
