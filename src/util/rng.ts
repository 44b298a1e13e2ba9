/**
 * Seeded random numbers. Every random choice in the toolkit flows from an {@link Rng} made from an
 * explicit seed; nothing reads a global generator.
 *
 * Built on pure-rand's xoroshiro128+ generator; the helpers below (doubles, normals, shuffles,
 * choices) are thin conveniences over it.
 *
 * @example
 * const rng = createRng(42);
 * rng.uniform(); // 0.5350388821154076, the same in every run with seed 42
 * rng.normal();  // a standard normal draw
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Rng {
  /** Uniform double in [0, 1). */
  uniform(): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A new independent generator derived from this one (for sub-tasks that must not share state). */
  fork(): Rng;
  /** In-place Fisher-Yates shuffle; returns the array. */
  shuffle<T>(a: T[]): T[];
  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: ArrayLike<number>): number;
}

/** Default seed used when the caller gives none; recorded in outputs like any other seed. */
export const DEFAULT_SEED = 42;

/** Creates a generator from an integer seed (any 32-bit integer; other numbers are truncated). */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const g = xoroshiro128plus(mix32(seed | 0));
  // xoroshiro's first outputs from a small seed are poorly mixed: discard a few.
  for (let i = 0; i < 8; i++) g.next();
  let spare: number | null = null;
  const u32 = () => g.next() >>> 0;
  const uniform = () => (u32() * 2 ** 21 + (u32() >>> 11)) / 2 ** 53;
  const rng: Rng = {
    uniform,
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number) {
      return Math.floor(uniform() * n);
    },
    fork() {
      return createRng(u32() ^ (u32() << 1));
    },
    shuffle<T>(a: T[]) {
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
      }
      return a;
    },
    weighted(weights: ArrayLike<number>) {
      let total = 0;
      for (let i = 0; i < weights.length; i++) total += weights[i];
      let r = uniform() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
  };
  return rng;
}

/**
 * The seed of the named random substream of `seed`: one seed gives every random part of a method
 * its own independent stream, named after what it draws (`'sampling'`, `'marginals'`,
 * `'bootstrap'`), instead of ad-hoc offsets such as `seed + 1` (which make the streams of seed 1
 * and seed 2 overlap). The extractors keep the seed's own stream, `createRng(seed)`, for the
 * held-out split. The name is hashed (FNV-1a over its UTF-16 code units) and mixed into the seed,
 * so the result is the same on every platform, differs for different names and for different
 * seeds, and adding a new stream never changes an existing one.
 *
 * @param seed the run's seed (any finite number; truncated to 32 bits as {@link createRng} does)
 * @param name what the stream is for
 * @param keys further keys within the named stream, e.g. a row index: `substream(42, 'faithfulness', 17)`
 * @throws RangeError for a non-finite seed or key
 * @example
 * const split = createRng(42); // the held-out split
 * const draws = createRng(substream(42, 'sampling')); // independent of `split`
 */
export function substream(seed: number, name: string, ...keys: number[]): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  let out = mix32((seed | 0) ^ mix32(h ^ 0x9e3779b9));
  // Further keys (a row index, a repeat) each give a stream of their own within the named one.
  for (const k of keys) {
    if (!Number.isFinite(k)) throw new RangeError(`substream key must be a finite number, got ${k}`);
    out = mix32(out ^ mix32(Math.imul((k | 0) + 0x7f4a7c15, 0x85ebca6b) ^ Math.floor(k / 2 ** 32)));
  }
  return out;
}

/** Murmur3's 32-bit finaliser: spreads nearby seeds (1, 2, 3...) over the whole state space. */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

