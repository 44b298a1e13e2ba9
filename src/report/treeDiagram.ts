/**
 * Turns a decision tree of the rule format into the labelled node tree the report draws.
 */
import type { ConditionT, DecisionTreeT, OutputT, RuleStatsT, TreeNodeT } from '../rules/schema.js';
import type { TreeDiagramNode } from './types.js';

/**
 * Labels every node of `tree`: split nodes with their test (as `formatCondition` writes it,
 * wrapped at about `width` characters), leaves with their output, support and precision.
 *
 * @param tree - a decision tree surrogate (`RuleSet.surrogate` of kind `tree`)
 * @param formatCondition - writes a condition for reading (renderCondition of src/rules)
 * @param width - split labels wrap at this many characters (default 34)
 * @example
 * treeDiagram({ kind: 'tree', root: { type: 'leaf', output: { class: 'a' } } }, String);
 * // { lines: ['a'], leaf: true, cls: 'a' }
 */
export function treeDiagram(tree: DecisionTreeT, formatCondition: (c: ConditionT) => string, width = 34): TreeDiagramNode {
  // Recursive, one frame per tree level: bounded on import (`MAX_JSON_DEPTH`, about 500 levels).
  const walk = (n: TreeNodeT, edge?: 'yes' | 'no'): TreeDiagramNode => {
    if (n.type === 'leaf') {
      const out: TreeDiagramNode = { lines: [leafLabel(n.output, n.stats)], leaf: true };
      if ('class' in n.output) out.cls = n.output.class;
      if (edge) out.edge = edge;
      return out;
    }
    const out: TreeDiagramNode = {
      lines: wrapText(formatCondition(n.condition), width),
      leaf: false,
      children: [walk(n.yes, 'yes'), walk(n.no, 'no')],
    };
    if (edge) out.edge = edge;
    return out;
  };
  return walk(tree.root);
}

function leafLabel(o: OutputT, stats?: RuleStatsT): string {
  const head = 'class' in o ? o.class : `= ${formatNumber(o.value)}`;
  if (!stats) return head;
  const parts = [`${stats.support} rows`];
  if (stats.precision !== null && stats.support > 0) parts.push(`${Math.round(stats.precision * 100)}%`);
  return `${head} (${parts.join(', ')})`;
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toPrecision(4).replace(/\.?0+$/, '');
}

/**
 * Splits `text` into lines of at most `width` characters, breaking at spaces; a word longer than `width` keeps its own line.
 *
 * @example
 * wrapText('2 of {a <= 1, b > 2, c = x}', 13); // ['2 of {a <= 1,', 'b > 2, c = x}']
 */
export function wrapText(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}
