/**
 * surrogate-distill: the library behind the `distill` command. This file only re-exports; the
 * folders follow the pipeline: data in, black box, sampling, surrogates (local, global), the rule
 * representation, metrics, and the report. The CLI is a separate entry,
 * `surrogate-distill/cli` (src/cli/main.ts), so that importing the library loads neither yargs
 * nor the commands.
 */
export * from './util/errors.js';
export * from './util/rng.js';
export * from './util/io.js';
export * from './util/json.js';
export * from './util/options.js';
export * from './util/progress.js';
export * from './data/types.js';
export * from './data/index.js';
export * from './model/types.js';
export * from './model/index.js';
export * from './sampling/index.js';
export * from './rules/schema.js';
export * from './rules/evaluate.js';
export * from './rules/provenance.js';
export * from './rules/index.js';
export * from './metrics/index.js';
export * from './local/index.js';
export * from './scale/index.js';
export * from './global/index.js';
export * from './report/index.js';
