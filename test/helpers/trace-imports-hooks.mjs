// Module resolution hooks for trace-imports.mjs (they run on the loader thread).
import { appendFileSync } from 'node:fs';

const out = process.env.TRACE_IMPORTS;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (out) appendFileSync(out, resolved.url + '\n');
  return resolved;
}
