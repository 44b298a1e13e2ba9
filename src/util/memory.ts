/**
 * Sizes whose memory is known before the work starts (samples × columns, a network's weights) are
 * checked against one limit, so that a mistyped `--samples 1e9` is a one-line error saying how much
 * memory it would need, not an allocation failure deep in an engine. Work whose size depends on
 * the data alone (loading a file) is bounded elsewhere (file size limits: util/files.ts).
 */
import { InputError, type ErrorLocation } from './errors.js';
import { formatBytes } from './files.js';

/** Most memory one predictable allocation may need (4 GiB: also WebAssembly's 32-bit address space). */
export const MEMORY_LIMIT_BYTES = 4 * 2 ** 30;

/**
 * Throws when `bytes` (the estimate for `what`) exceeds `limit`.
 *
 * @param what what needs the memory, e.g. `1000000000 samples × 6 values`.
 * @throws InputError `--samples: 1000000000 samples × 6 values would need about 44.7 GiB of memory, over the 4 GiB limit`.
 * @example
 * checkMemory(samples * width * 8, `${samples} samples × ${width} values`, { flag: '--samples' });
 */
export function checkMemory(bytes: number, what: string, where: ErrorLocation, limit = MEMORY_LIMIT_BYTES): void {
  if (bytes <= limit) return;
  throw new InputError(`${what} would need about ${formatBytes(bytes)} of memory, over the ${formatBytes(limit)} limit`, where);
}
