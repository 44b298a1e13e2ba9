/**
 * `distill importance`: a global view from local explanations — the mean |attribution| of each
 * original column over the chosen rows, with a bootstrap 95 % interval, by any attribution method
 * of the local registry (default shap). The same run as `distill explain --summary`.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { chooseFormat, note, type GlobalArgs } from '../context.js';
import { dataOptions } from '../data-options.js';
import { modelOptions } from '../model-options.js';
import { attributionEntries, bootstrapOption, emitSummary, explainFromArgs, explainRunOptions, type ExplainArgs } from './explain.js';

const command: CommandModule<GlobalArgs, ExplainArgs> = {
  ...COMMAND_SUMMARIES.importance,
  // Async: the local methods' flags come from their registry (and zod), loaded only for this command.
  builder: async (y: Argv<GlobalArgs>) =>
    y
      .options(modelOptions)
      .options({ ...dataOptions })
      .options({
        method: { type: 'string', describe: 'Attribution method, or several comma-separated (default shap; see distill explain --method)' },
        bootstrap: bootstrapOption,
        ...(await explainRunOptions()),
      })
      .example('$0 importance --model models/iris --data builtin:iris --all', 'Mean |SHAP value| per column over every row')
      .example('$0 importance --model m --data test.csv --rows 0-199 --method shap,occlusion --format json --out importance.json', 'Two methods, as an importance file')
      .example('$0 importance --model m --data test.csv --all --background train.csv --class approved', 'Against a training background, for one class') as unknown as Argv<ExplainArgs>,
  handler: async (argv: ArgumentsCamelCase<ExplainArgs>) => {
    const format = chooseFormat(argv.format, ['text', 'json']);
    const methods = String(argv.method ?? 'shap').split(',').map((s) => s.trim()).filter(Boolean);
    const entries = await attributionEntries(methods.length ? methods : ['shap'], '--method');
    const { file, rows } = await explainFromArgs({ ...argv, summary: true }, entries);
    if (rows > 1) note(argv, `explained ${rows} rows`);
    await emitSummary(argv, file, format);
  },
};

export default command;
