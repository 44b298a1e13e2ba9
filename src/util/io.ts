/**
 * File output that never leaves a half-written file: write to a temporary file beside the target,
 * then rename it into place (atomic on one file system).
 */
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
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
