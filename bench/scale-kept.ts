/**
 * One method's runs with the threads kept (`keptRuns` of bench/scale.ts), in a process of its own:
 * `tsx bench/scale-kept.ts DIR METHOD ROWS PAIRS` prints their times as JSON on standard output.
 */
import { keptRuns } from './scale.js';

const [dir, method, rows, pairs] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await keptRuns(dir, method, Number(rows), Number(pairs))));
process.exit(0);
