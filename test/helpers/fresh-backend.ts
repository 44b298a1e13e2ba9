/** The tfjs backend a fresh process picks (the first choice of this process, remembered). */
import { initBackend } from '../../src/model/backend.js';

let first: Promise<string> | null = null;

/**
 * Resolves to the backend `initBackend()` picks before anything else selects one (wasm here).
 *
 * @example
 * await initBackend(await freshBackend());
 */
export function freshBackend(): Promise<string> {
  first ??= initBackend();
  return first;
}
