/**
 * Choosing the TensorFlow.js compute backend: the native `tensorflow` backend of
 * `@tensorflow/tfjs-node` when it loads (an optional dependency), else WebAssembly (`wasm`, SIMD
 * where the CPU has it), else the plain JavaScript `cpu` backend.
 */
import * as tf from '@tensorflow/tfjs';
import { InputError } from '../util/errors.js';

const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;

/** The backend chosen by the last call, so that repeated loads do not re-initialise tfjs. */
let wasmImported = false;

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional dependency: a variable specifier keeps bundlers and tsc from requiring it.
    const name = '@tensorflow/tfjs-node';
    await import(name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

const PROCESS_EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

async function tryWasm(): Promise<boolean> {
  // The Emscripten module of tfjs-backend-wasm installs process handlers that rethrow every
  // uncaught error (printing its whole minified source with it); remove the ones it adds.
  const listeners = (e: (typeof PROCESS_EVENTS)[number]) => process.listeners(e as 'uncaughtException') as ((...args: unknown[]) => void)[];
  const before = PROCESS_EVENTS.map((e) => new Set(listeners(e)));
  try {
    if (!wasmImported) {
      await import('@tensorflow/tfjs-backend-wasm');
      wasmImported = true;
    }
    // setBackend resolves to false (and tfjs stays where it was) when the module fails to start.
    return await tf.setBackend('wasm');
  } catch {
    return false;
  } finally {
    PROCESS_EVENTS.forEach((e, k) => {
      for (const l of listeners(e)) if (!before[k].has(l)) process.removeListener(e, l);
    });
  }
}

/**
 * Selects and initialises the TF.js backend, and resolves to the one in use.
 *
 * @param preference `tensorflow`, `wasm` or `cpu` (the `--backend` flag); without it, the fastest
 *   that loads: tensorflow, then wasm, then cpu.
 * @throws InputError when `preference` is unknown or the requested backend cannot start.
 * @example
 * await initBackend();        // 'wasm' here (tfjs-node is not installed)
 * await initBackend('cpu');   // 'cpu'
 */
export async function initBackend(preference?: string): Promise<string> {
  // Production mode: no console banners from tfjs (e.g. "install tfjs-node") mixed into stderr.
  tf.env().set('PROD', true);
  if (preference !== undefined && preference !== '' && preference !== 'auto') {
    if (!(BACKENDS as readonly string[]).includes(preference)) {
      throw new InputError(`unknown backend "${preference}" (expected ${BACKENDS.join(', ')})`, { flag: '--backend' });
    }
    if (current === preference && tf.getBackend() === preference) return preference;
    const ok =
      preference === 'tensorflow' ? await tryTensorflow() : preference === 'wasm' ? await tryWasm() : await tf.setBackend('cpu');
    if (!ok) {
      const why = preference === 'tensorflow' ? '@tensorflow/tfjs-node is not installed or cannot load here' : 'it failed to initialise';
      throw new InputError(`backend "${preference}" is not available: ${why}`, { flag: '--backend' });
    }
    await tf.ready();
    current = tf.getBackend();
    return current;
  }
  if (current && tf.getBackend() === current) return current;
  if (!(await tryTensorflow()) && !(await tryWasm())) await tf.setBackend('cpu');
  await tf.ready();
  current = tf.getBackend();
  return current;
}

/** The backend chosen by the last call, so that repeated loads do not re-initialise tfjs. */
let current: string | null = null;
