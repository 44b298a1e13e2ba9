/**
 * `distill apply`: predictions from a rule set file alone (no model), with the rule that fired.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { COMMAND_SUMMARIES } from './index.js';
import { applyRuleSet, type Decision } from '../../rules/evaluate.js';
import { renderDecision, ruleSetCaveats } from '../../rules/render.js';
import type { OutputT, RuleSet } from '../../rules/schema.js';
import { chooseFormat, jsonArrayWriter, note, writeOutput, type GlobalArgs, type Output } from '../context.js';
import { STREAM_BATCH_ROWS } from '../../data/options.js';
import { csvCell } from '../csv.js';
import { dataOptions, scanDataFromArgs, streamDataFromArgs, type DataArgs } from '../data-options.js';

interface ApplyArgs extends GlobalArgs, DataArgs {
  rules: string;
}

/** The rule reference of a decision: the rule index, the tree path (`root` for a lone leaf), or `default`. */
function ruleRef(d: Decision): string {
  if (d.rule === null) return 'default';
  if (typeof d.rule === 'number') return String(d.rule);
  return d.rule === '' ? 'root' : d.rule;
}

function outputValue(o: OutputT | null): string | number | null {
  if (o === null) return null;
  return 'class' in o ? o.class : o.value;
}

/**
 * Writes decisions as they come, one per row (numbered from 1): the prediction (empty / null when
 * the rule set makes none), the rule that fired (index into the rules, tree path of `y`/`n` steps,
 * or `default`) and that rule as text. CSV cells are made safe for spreadsheets (see `csvCell`);
 * JSON is laid out as `JSON.stringify(records, null, 2)` would.
 *
 * @example
 * const w = decisionWriter(rs, 'csv', out);
 * await w.write(applyRuleSet(rs, rows)); // row,prediction,rule,rule_text / 1,setosa,0,IF petal_length <= 2.45 THEN setosa
 * await w.end();
 */
export function decisionWriter(rs: RuleSet, format: 'csv' | 'json', out: Pick<Output, 'write'>): { write(decisions: readonly Decision[]): Promise<void>; end(): Promise<void> } {
  const texts = new Map<string, string>();
  const text = (d: Decision) => {
    const k = ruleRef(d);
    if (!texts.has(k)) texts.set(k, renderDecision(rs, d, { stats: 'none' }));
    return texts.get(k)!;
  };
  // What follows the row number in a CSV line depends on the rule alone: built once per rule.
  const tails = new Map<string, string>();
  const tail = (d: Decision) => {
    const k = ruleRef(d);
    let t = tails.get(k);
    if (t === undefined) tails.set(k, (t = [csvCell(outputValue(d.output)), k, csvCell(text(d))].join(',')));
    return t;
  };
  let row = 0;
  const json = format === 'json' ? jsonArrayWriter(out) : null;
  let started = false;
  return {
    async write(decisions) {
      if (json) {
        for (const d of decisions) await json.item({ row: ++row, prediction: outputValue(d.output), rule: d.rule, ruleText: text(d) });
        return;
      }
      const lines: string[] = started ? [] : ['row,prediction,rule,rule_text'];
      started = true;
      for (const d of decisions) lines.push(`${++row},${tail(d)}`);
      await out.write(lines.join('\n') + '\n');
    },
    async end() {
      if (json) await json.end();
      else if (!started) await out.write('row,prediction,rule,rule_text\n');
    },
  };
}

const command: CommandModule<GlobalArgs, ApplyArgs> = {
  ...COMMAND_SUMMARIES.apply,
  builder: (y: Argv<GlobalArgs>) =>
    y
      .options({ rules: { type: 'string', demandOption: true, describe: 'Rule set file (surrogate-distill/rules JSON)' } })
      .options(dataOptions)
      .example('$0 apply --rules rules.json --data new.csv', 'CSV: row, prediction, rule index and rule text')
      .example('$0 apply --rules rules.json --data builtin:iris --format json --out applied.json', 'JSON records to a file') as unknown as Argv<ApplyArgs>,
  handler: async (argv: ArgumentsCamelCase<ApplyArgs>) => {
    const format = chooseFormat(argv.format, ['csv', 'json']);
    const [{ ruleSetAligner }, { alignmentKnownSafe }, { loadRuleSet }, { ruleSetFeatures }] = await Promise.all([
      import('../../rules/alignRuleSetRows.js'),
      import('../../data/align.js'),
      import('../../rules/read.js'),
      import('../../rules/walk.js'),
    ]);
    const rs = await loadRuleSet(argv.rules);
    const used = new Set(ruleSetFeatures(rs));
    // A large CSV file, or CSV on standard input, is read once, typed by the rule set's own
    // schema (the columns its rules test): memory stays bounded whatever the size of the data.
    const stream = await streamDataFromArgs(argv, rs.schema.features.filter((f) => used.has(f.name)), 'the rules');
    if (stream) {
      const { ruleSet } = ruleSetAligner(rs, rs.schema, stream.source, argv.rules);
      for (const c of ruleSetCaveats(rs)) note(argv, `distill: note: ${argv.rules}: ${c}`);
      await writeOutput(argv, (out) => decisionWriter(rs, format, out), async (w) => {
        for await (const b of stream.batches(STREAM_BATCH_ROWS)) await w.write(applyRuleSet(ruleSet, b.rows));
      });
      return;
    }
    const targetGiven = argv.target !== undefined || argv.targetIndex !== undefined;
    // Other data (a smaller file, ARFF, JSON, a builtin) is scanned for its types, then its rows
    // read again in batches. Columns are matched by name; a target column is simply not used.
    const scan = await scanDataFromArgs(argv, { noTarget: !targetGiven });
    const { ruleSet, align } = ruleSetAligner(rs, scan.plan.schema, scan.source, argv.rules);
    for (const c of ruleSetCaveats(rs)) note(argv, `distill: note: ${argv.rules}: ${c}`);
    // A late alignment error would cut the output short: check every batch first when it can happen.
    if (!alignmentKnownSafe(scan.plan, ruleSet.schema.features)) for await (const b of scan.batches()) align(b.rows, b.start);
    await writeOutput(argv, (out) => decisionWriter(rs, format, out), async (w) => {
      for await (const b of scan.batches(STREAM_BATCH_ROWS)) await w.write(applyRuleSet(ruleSet, align(b.rows, b.start)));
    });
  },
};

export default command;
