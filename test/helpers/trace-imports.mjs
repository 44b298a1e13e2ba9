// `node --import ./test/helpers/trace-imports.mjs ...`: appends the URL of every module the
// program imports (ES module resolution) to the file named by $TRACE_IMPORTS, one per line. Used by
// test/cli/startup.test.ts to check that a command loads only what it needs.
import { register } from 'node:module';

register('./trace-imports-hooks.mjs', import.meta.url);
