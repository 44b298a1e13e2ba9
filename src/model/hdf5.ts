/**
 * Reading HDF5 files held in memory (Keras weight files) with h5wasm, the HDF5 C library compiled
 * to WebAssembly. The bytes go into h5wasm's in-memory file system, never to disk. HDF5 prints its
 * error stacks on stderr; they are captured here instead, and the deepest message of the last one
 * is put in the InputError (`file signature not found`, `truncated file: eof = ...`).
 */
import { InputError } from '../util/errors.js';

/** A float dataset read from an HDF5 file: its shape and values in row-major (C) order. */
export interface Hdf5Floats {
  shape: number[];
  values: Float32Array;
}

/** The read side of an open HDF5 file. Paths are relative to the root, without a leading `/`. */
export interface Hdf5File {
  /** Member names of the group at `path` (`''` for the root), or `null` when there is no group there. */
  keys(path: string): string[] | null;
  /** The attribute `name` of the object at `path`: strings are decoded, arrays stay arrays; `undefined` when absent. */
  attr(path: string, name: string): unknown;
  /** The float dataset at `path`, or `null` when there is none there. */
  floats(path: string): Hdf5Floats | null;
  close(): void;
}

type H5 = typeof import('h5wasm').default;
interface Tty {
  output: number[];
  ops: { put_char(tty: Tty, val: number | null): void; fsync(tty: Tty): void };
}
interface MemFs {
  writeFile(path: string, data: Uint8Array): void;
  unlink(path: string): void;
  getStream(fd: number): { tty?: Tty } | null;
}

let loaded: Promise<{ h5: H5; fs: MemFs }> | null = null;
/** The last lines HDF5 wrote to stderr. */
const diagnostics: string[] = [];
let fileCounter = 0;

/** Loads h5wasm once and routes what the C library writes on stderr into {@link diagnostics}. */
function loadH5(): Promise<{ h5: H5; fs: MemFs }> {
  loaded ??= (async () => {
    const h5 = (await import('h5wasm')).default;
    const module = await h5.ready;
    const fs = module.FS as unknown as MemFs;
    const tty = fs.getStream(2)?.tty;
    if (tty) {
      const keep = (t: Tty) => {
        if (t.output.length) diagnostics.push(new TextDecoder().decode(Uint8Array.from(t.output)));
        t.output = [];
        if (diagnostics.length > 200) diagnostics.splice(0, diagnostics.length - 200);
      };
      tty.ops = {
        put_char(t, val) {
          if (val === null || val === 10) keep(t);
          else if (val !== 0) t.output.push(val);
        },
        fsync: keep,
      };
    }
    return { h5, fs };
  })();
  return loaded;
}

/** The deepest message of the last HDF5 error stack printed since `from`, e.g. `file signature not found`. */
function lastDiagnostic(from: number): string | null {
  const lines = diagnostics.slice(from);
  let message: string | null = null;
  for (const l of lines) {
    const m = /^\s*#\d+: .* in [\w.]+\(\): (.*)$/.exec(l);
    if (m) message = m[1].trim();
  }
  return message;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether `bytes` hold the HDF5 signature at offset 0, 512, 1024, 2048, ... (where a user block may push it). */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let at = 0; at + SIGNATURE.length <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/**
 * Opens HDF5 bytes for reading.
 *
 * @param bytes the file's contents.
 * @param source the file's name for messages (e.g. `model.h5`, or `model.keras!/model.weights.h5`).
 * @throws InputError when the bytes are not an HDF5 file or the file cannot be read (truncated,
 *   corrupt), with HDF5's own reason; reads through the returned object throw the same way.
 * @example
 * const h5 = await openHdf5(await readBinaryFile('model.h5'), 'model.h5');
 * JSON.parse(String(h5.attr('', 'model_config'))).class_name; // 'Sequential'
 * h5.close();
 */
export async function openHdf5(bytes: Uint8Array, source: string): Promise<Hdf5File> {
  if (!hasHdf5Signature(bytes)) throw new InputError('not an HDF5 file (no HDF5 signature)', { file: source });
  const { h5, fs } = await loadH5();
  const path = `/distill-${process.pid}-${++fileCounter}.h5`;
  fs.writeFile(path, bytes);
  const fail = (what: string, from: number, e?: unknown): InputError => {
    const why = lastDiagnostic(from) ?? (e instanceof Error ? e.message : null);
    return new InputError(`cannot read the HDF5 file${what ? ` (${what})` : ''}${why ? `: ${why}` : ''}; the file is corrupt or truncated`, { file: source });
  };
  const mark = diagnostics.length;
  let file: InstanceType<H5['File']>;
  try {
    file = new h5.File(path, 'r');
  } catch (e) {
    fs.unlink(path);
    throw fail('', mark, e);
  }
  if (file.file_id < 0n) {
    fs.unlink(path);
    throw fail('', mark);
  }
  /** Runs one read, turning h5wasm's failures (exceptions, HDF5 error stacks) into an InputError. */
  const guarded = <T>(what: string, read: () => T): T => {
    const from = diagnostics.length;
    let out: T;
    try {
      out = read();
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw fail(what, from, e);
    }
    if (lastDiagnostic(from) !== null) throw fail(what, from);
    return out;
  };
  const entity = (p: string) => (p === '' ? file : file.get(p));
  return {
    keys(p) {
      return guarded(p || '/', () => {
        if (p !== '' && !exists(file, p)) return null;
        const g = entity(p);
        return g instanceof h5.Group ? g.keys() : null;
      });
    },
    attr(p, name) {
      return guarded(`${p || '/'} attribute ${name}`, () => {
        if (p !== '' && !exists(file, p)) return undefined;
        const g = entity(p);
        if (!g || !('attrs' in g)) return undefined;
        const attrs = g.attrs;
        if (!Object.hasOwn(attrs, name)) return undefined;
        return attrs[name].value;
      });
    },
    floats(p) {
      return guarded(p, () => {
        if (!exists(file, p)) return null;
        const d = file.get(p);
        if (!(d instanceof h5.Dataset)) return null;
        const meta = d.metadata;
        const value = d.value;
        if (meta.type !== 1 || !(value instanceof Float32Array || value instanceof Float64Array)) {
          throw new InputError(`dataset ${p} holds ${d.dtype} values, expected 32- or 64-bit floats`, { file: source });
        }
        return { shape: (d.shape ?? []).map(Number), values: value instanceof Float32Array ? value : Float32Array.from(value) };
      });
    },
    close() {
      file.close();
      fs.unlink(path);
    },
  };
}

/** Whether every group along `path` exists (h5wasm logs an HDF5 error when asked for a missing one). */
function exists(file: { keys(): string[]; get(p: string): unknown }, path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  let at = '';
  for (const part of parts) {
    const group = (at === '' ? file : file.get(at)) as { keys?: () => string[] } | null;
    if (!group || typeof group.keys !== 'function' || !group.keys().includes(part)) return false;
    at = at ? `${at}/${part}` : part;
  }
  return true;
}
