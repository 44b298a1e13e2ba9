/**
 * Builds dist/ (the compiled copy `bin/distill.js` runs) when it is missing or older than src/.
 * Used by the smoke tests and the start-up benchmark, which run the real binary; after `npm ci`
 * (whose `prepare` builds) it only stats the files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/**
 * Whether some file of src/ has no compiled copy in dist/ or one older than itself.
 *
 * @example
 * if (distIsStale()) console.log('run npm run build');
 */
export function distIsStale(): boolean {
  const src = join(ROOT, 'src');
  return sourceFiles(src).some((f) => {
    const js = join(ROOT, 'dist', relative(src, f)).replace(/\.ts$/, '.js');
    try {
      return statSync(js).mtimeMs < statSync(f).mtimeMs;
    } catch {
      return true;
    }
  });
}

/** A lock folder: test files run in parallel processes, and only one may rebuild dist/ at a time. */
const LOCK = join(ROOT, '.tmp', 'build.lock');
/** A lock older than this is left over from a killed build and is taken over. */
const LOCK_STALE_MS = 5 * 60_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the build lock, waiting for another process's build to finish. */
function lock(): void {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      return;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released meanwhile: try again.
      }
      sleep(200);
    }
  }
}

/**
 * Runs `tsc -p tsconfig.build.json` (what `npm run build` runs) when {@link distIsStale}. One
 * process builds at a time; the others wait for it, so that no run reads half-written files.
 *
 * @example
 * ensureBuilt(); // dist/ now matches src/
 */
export function ensureBuilt(): void {
  if (!distIsStale()) return;
  lock();
  try {
    if (!distIsStale()) return;
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
