// Links this package's own `distill` command into node_modules/.bin, so that `npx distill` works
// in a fresh clone right after `npm ci` (npm links the bins of dependencies, never the root
// package's own). Run by the `prepare` script; does nothing when the link is already there.
import { chmodSync, existsSync, lstatSync, mkdirSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'bin', 'distill.js');
const link = join(root, 'node_modules', '.bin', 'distill');
mkdirSync(dirname(link), { recursive: true });
chmodSync(target, 0o755);
let stale = false;
try {
  stale = lstatSync(link).isSymbolicLink() && !existsSync(link);
} catch {
  stale = false;
}
if (stale) unlinkSync(link);
if (!existsSync(link)) symlinkSync(relative(dirname(link), target), link);
