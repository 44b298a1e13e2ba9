/** Process entry of the `distill` command (bin/distill.js runs the compiled copy of this file). */
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
