/**
 * The report's charts, as static SVG rendered when the report is built: vega-lite specifications
 * compiled to vega (bar charts, interval plots) and a vega specification using vega's tidy-tree
 * layout (decision trees). Nothing is drawn by hand; the SVG needs no script to display.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { chartText, exprLiteral } from './escapeHtml.js';
import type { ReportRuleSet, TreeDiagramNode } from './types.js';

/** Colours shared by the charts and the page's CSS (LIME's convention: green supports, red opposes). */
export const COLORS = {
  positive: '#2e7d32',
  negative: '#c62828',
  ink: '#1f2933',
  muted: '#616e7c',
  grid: '#e4e7eb',
  accent: '#1d4ed8',
  /** Leaf colours by class (Tableau 10). */
  classes: ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'],
} as const;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Shared look of every vega-lite chart: no frame, light grid, the page's font. */
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelColor: COLORS.ink, titleColor: COLORS.muted, gridColor: COLORS.grid, domainColor: '#9aa5b1', tickColor: '#9aa5b1', labelFontSize: 12, titleFontSize: 12, titleFontWeight: 'normal' },
} as const;

/**
 * Renders a vega specification to an SVG string (headless, no canvas, no network).
 *
 * @example
 * const svg = await renderVegaSvg(vegaSpec); // '<svg xmlns=...'
 */
export async function renderVegaSvg(spec: vega.Spec): Promise<string> {
  // The loader is never used (all data is inline); forbid it so a chart can never fetch anything.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`charts must not load data (${uri})`);
  };
  const view = new vega.View(vega.parse(spec), { renderer: 'none', loader });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/**
 * Renames the ids inside an SVG (vega numbers clip paths with a process-wide counter) to
 * `prefix` + a local number, so that several charts in one page never share an id and the same
 * report renders to the same text in any process.
 *
 * @example
 * scopeSvgIds('<clipPath id="clip7"/><g clip-path="url(#clip7)"/>', 'c1-'); // ids become c1-0
 */
export function scopeSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) if (!ids.has(m[1])) ids.set(m[1], `${prefix}${ids.size}`);
  if (!ids.size) return svg;
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (all, a: string, id: string, b: string) => a + (ids.get(id) ?? id) + b)
    .replace(/(url\(#|href="#)([^)"]+)/g, (all, a: string, id: string) => a + (ids.get(id) ?? id));
}

/**
 * Compiles a vega-lite specification to vega and renders it to SVG.
 *
 * @example
 * const svg = await renderVegaLiteSvg({ data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } });
 */
export async function renderVegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  return renderVegaSvg(compile(spec).spec);
}

/**
 * Axis labels are never cut: vega (without font metrics here) measures text generously and
 * truncates beyond this many pixels, so the limit is set well above any condition's length.
 */
const LABEL_LIMIT = 1200;

/**
 * Signed weights as horizontal bars, in the order given (strongest first), green when the weight
 * pushes towards the explained output, red when it pushes away — as lime's `as_pyplot_figure`
 * draws it. Used for LIME's conditions and for every method's per-column attributions.
 *
 * @example
 * const svg = await weightChartSvg([{ label: 'x > 1', weight: 0.4 }], 'weight');
 */
export async function weightChartSvg(items: readonly { label: string; weight: number }[], axisTitle: string): Promise<string> {
  const values = items.map((f, i) => ({
    key: i,
    condition: chartText(f.label),
    weight: f.weight,
    sign: f.weight >= 0 ? 'supports' : 'opposes',
  }));
  const labels = Object.fromEntries(values.map((v) => [v.key, v.condition]));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 320,
    height: { step: 24 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.7 } },
        encoding: {
          // Keyed by position so that two equal conditions never share a bar; labelled by text.
          y: {
            field: 'key',
            type: 'ordinal',
            sort: null,
            axis: { title: null, labelLimit: LABEL_LIMIT, labelExpr: `${exprLiteral(labels)}[datum.value]`, ticks: false, domain: false },
          },
          x: { field: 'weight', type: 'quantitative', axis: { title: axisTitle, grid: true, tickCount: 5 } },
          color: {
            field: 'sign',
            type: 'nominal',
            scale: { domain: ['supports', 'opposes'], range: [COLORS.positive, COLORS.negative] },
            legend: null,
          },
        },
      },
      { mark: { type: 'rule', color: '#52606d' }, encoding: { x: { datum: 0 } } },
    ],
  };
  return renderVegaLiteSvg(spec);
}

/**
 * Fidelity of each rule set with its 95% interval: a dot per rule set and a line for the
 * interval, on a 0–1 (agreement) axis. Null when no rule set has a fidelity figure.
 *
 * @example
 * const svg = await fidelityChartSvg(input.ruleSets); // null for rule sets without scores
 */
export async function fidelityChartSvg(ruleSets: readonly ReportRuleSet[]): Promise<string | null> {
  const values = ruleSets.flatMap((r) => {
    const f = r.score?.fidelity;
    if (!f || !Number.isFinite(f.value)) return [];
    return [{ name: chartText(r.name), value: f.value, low: f.ci95?.[0] ?? f.value, high: f.ci95?.[1] ?? f.value, metric: f.metric }];
  });
  if (!values.length) return null;
  const low = values.reduce((m, v) => Math.min(m, v.low), Infinity);
  const domainLow = Math.max(0, Math.floor((low - 0.05) * 10) / 10);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 360,
    height: { step: 28 },
    data: { values },
    encoding: {
      y: { field: 'name', type: 'nominal', sort: null, axis: { title: null, labelLimit: LABEL_LIMIT, ticks: false, domain: false } },
    },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 3, strokeCap: 'round', color: '#93c5fd' },
        encoding: {
          x: { field: 'low', type: 'quantitative', scale: { domain: [domainLow, 1] }, axis: { title: 'fidelity to the model (95% interval)', grid: true, format: '.2f' } },
          x2: { field: 'high' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70, color: COLORS.accent },
        encoding: { x: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
  return renderVegaLiteSvg(spec);
}

/** Estimated width of one character of 12 px tree labels (generous, so that edges clear the text). */
const TREE_CHAR_WIDTH = 6.6;

/**
 * A decision tree drawn left to right with vega's tidy-tree layout (Reingold–Tilford, via vega's
 * `tree` transform): split nodes labelled with their test, leaves with their output in the class
 * colour, edges marked yes/no.
 *
 * @example
 * const svg = await treeDiagramSvg(treeDiagram(rs.surrogate, renderCondition), ['setosa', 'versicolor', 'virginica']);
 */
export async function treeDiagramSvg(root: TreeDiagramNode, classes: readonly string[] = []): Promise<string> {
  const rows: { id: number; parent: number | null; lines: string[]; leaf: boolean; cls: string; edge: string; w: number }[] = [];
  let depth = 0;
  let maxLines = 1;
  let splitW = 0;
  let leafChars = 0;
  // Recursive, one frame per tree level: the tree comes from a rule set, bounded on import (`MAX_JSON_DEPTH`).
  const walk = (n: TreeDiagramNode, parent: number | null, d: number) => {
    const id = rows.length;
    const lines = n.lines.map(chartText);
    const chars = Math.max(...lines.map((l) => l.length));
    // A split's label sits right of its node, centred on it; its edges leave from the label's end,
    // so that no edge crosses a label. Widths are estimates (no font metrics in a headless render),
    // on the generous side.
    const w = n.leaf ? 0 : Math.round(chars * TREE_CHAR_WIDTH) + 14;
    rows.push({ id, parent, lines, leaf: n.leaf, cls: n.cls ?? '', edge: chartText(n.edge ?? ''), w });
    depth = Math.max(depth, d);
    maxLines = Math.max(maxLines, lines.length);
    if (n.leaf) leafChars = Math.max(leafChars, chars);
    else splitW = Math.max(splitW, w);
    if (n.children) for (const c of n.children) walk(c, id, d + 1);
  };
  walk(root, null, 0);
  // Layout room: each depth level holds the longest split label plus the edges' run to the next
  // level; each row of nodes is as tall as the tallest label.
  const column = Math.max(120, splitW + 56);
  const rowHeight = maxLines * 14 + 20;
  const domain = classes.length ? [...classes] : [...new Set(rows.filter((r) => r.leaf).map((r) => r.cls))];
  const spec: vega.Spec = {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: Math.max(1, depth) * column,
    // The tree's own vertical extent (leaves at different depths may share a row).
    signals: [{ name: 'height', update: 'max(1, yExtent[1] - yExtent[0])' }],
    padding: { left: 8, top: 8 + maxLines * 7, right: 16 + Math.round(leafChars * TREE_CHAR_WIDTH), bottom: 8 + maxLines * 7 },
    autosize: 'pad',
    config: { text: { font: FONT } },
    data: [
      {
        name: 'tree',
        values: rows,
        transform: [
          { type: 'stratify', key: 'id', parentKey: 'parent' },
          { type: 'tree', method: 'tidy', nodeSize: [rowHeight, column], separation: false, as: ['ty', 'x', 'depth', 'children'] },
          { type: 'extent', field: 'ty', signal: 'yExtent' },
          { type: 'formula', expr: 'datum.ty - yExtent[0]', as: 'y' },
        ],
      },
      {
        name: 'links',
        source: 'tree',
        transform: [
          { type: 'treelinks' },
          { type: 'formula', expr: 'datum.source.x + datum.source.w', as: 'sx' },
          { type: 'formula', expr: 'datum.source.y', as: 'sy' },
          { type: 'formula', expr: 'datum.target.x', as: 'tx' },
          { type: 'formula', expr: 'datum.target.y', as: 'ty' },
          { type: 'linkpath', orient: 'horizontal', shape: 'diagonal', sourceX: 'sx', sourceY: 'sy', targetX: 'tx', targetY: 'ty' },
        ],
      },
    ],
    scales: [{ name: 'color', type: 'ordinal', domain, range: [...COLORS.classes] }],
    marks: [
      { type: 'path', from: { data: 'links' }, encode: { update: { path: { field: 'path' }, stroke: { value: '#9aa5b1' }, strokeWidth: { value: 1.4 } } } },
      {
        type: 'text',
        from: { data: 'links' },
        encode: {
          update: {
            x: { signal: 'datum.target.x - 8' },
            y: { signal: 'datum.target.y - 3' },
            text: { field: 'target.edge' },
            align: { value: 'right' },
            baseline: { value: 'bottom' },
            fontSize: { value: 10 },
            fill: { signal: "datum.target.edge === 'yes' ? '" + COLORS.positive + "' : '" + COLORS.negative + "'" },
            fontWeight: { value: 'bold' },
          },
        },
      },
      {
        type: 'symbol',
        from: { data: 'tree' },
        encode: {
          update: {
            x: { field: 'x' },
            y: { field: 'y' },
            size: { signal: 'datum.leaf ? 110 : 60' },
            shape: { signal: "datum.leaf ? 'square' : 'circle'" },
            fill: { signal: `datum.leaf ? scale('color', datum.cls) : '#ffffff'` },
            stroke: { signal: `datum.leaf ? scale('color', datum.cls) : '${COLORS.ink}'` },
            strokeWidth: { value: 1.5 },
          },
        },
      },
      {
        type: 'text',
        from: { data: 'tree' },
        encode: {
          update: {
            x: { signal: 'datum.x + 9' },
            // Multi-line text grows downwards from its first line: centre the block on the node.
            y: { signal: 'datum.y - (length(datum.lines) - 1) * 7' },
            text: { field: 'lines' },
            align: { value: 'left' },
            baseline: { value: 'middle' },
            fontSize: { value: 12 },
            lineHeight: { value: 14 },
            fill: { value: COLORS.ink },
            fontWeight: { signal: "datum.leaf ? 'bold' : 'normal'" },
          },
        },
      },
    ],
  };
  return renderVegaSvg(spec);
}

/** Colours of a column's value in the strip plot: low to high (SHAP's convention), and no value. */
export const VALUE_COLORS = { low: '#1e88e5', high: '#ff0d57', none: '#9aa5b1' } as const;

/**
 * Mean |attribution| per column as horizontal bars (strongest first, in the order given), each
 * with its 95 % interval as a line across the bar's end.
 *
 * @example
 * const svg = await importanceChartSvg([{ label: 'petal_width', value: 0.27, ci95: [0.25, 0.28] }], 'mean |SHAP value|');
 */
export async function importanceChartSvg(items: readonly { label: string; value: number; ci95: [number, number] | null }[], axisTitle: string): Promise<string> {
  const values = items.map((f, i) => ({ key: i, value: f.value, low: f.ci95?.[0] ?? f.value, high: f.ci95?.[1] ?? f.value }));
  const labels = Object.fromEntries(items.map((f, i) => [i, f.label]));
  const y = {
    field: 'key',
    type: 'ordinal' as const,
    sort: null,
    axis: { title: null, labelLimit: 220, labelExpr: `${exprLiteral(labels)}[datum.value]`, ticks: false, domain: false },
  };
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 300,
    height: { step: 22 },
    data: { values },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2, height: { band: 0.65 }, color: COLORS.accent, opacity: 0.8 },
        encoding: { y, x: { field: 'value', type: 'quantitative', axis: { title: axisTitle, grid: true, tickCount: 5 } } },
      },
      {
        mark: { type: 'rule', color: COLORS.ink, strokeWidth: 1.5 },
        encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
      },
    ],
  };
  return renderVegaLiteSvg(spec);
}

/** `#rrggbb` between two colours, `t` in [0, 1]. */
function mix(a: string, b: string, t: number): string {
  const ch = (c: string, i: number) => parseInt(c.slice(1 + 2 * i, 3 + 2 * i), 16);
  return '#' + [0, 1, 2].map((i) => Math.round(ch(a, i) + (ch(b, i) - ch(a, i)) * t).toString(16).padStart(2, '0')).join('');
}

/**
 * Each row's attribution of each column as a dot on the column's line (a strip plot, beeswarm
 * style: dots that would overlap are spread across the line), coloured by the row's value of the
 * column — blue for the column's lowest value among the rows, red for its highest; grey for a
 * categorical or missing value. Columns in the order given (strongest first). The spread is
 * computed here, deterministically, so the same input draws the same picture.
 *
 * @param points one per row and column: the attribution and the row's value
 * @example
 * const svg = await stripChartSvg(['petal_width'], [{ feature: 'petal_width', attribution: 0.3, value: 2.1 }], 'SHAP value');
 */
export async function stripChartSvg(columns: readonly string[], points: readonly { feature: string; attribution: number; value: string | number | null }[], axisTitle: string): Promise<string> {
  const index = new Map(columns.map((c, i) => [c, i]));
  const shown = points.filter((p) => index.has(p.feature) && Number.isFinite(p.attribution));
  // Colour: the value's position between the column's smallest and largest value among the rows.
  const range = new Map<string, [number, number]>();
  for (const p of shown) {
    if (typeof p.value !== 'number') continue;
    const r = range.get(p.feature) ?? [Infinity, -Infinity];
    range.set(p.feature, [Math.min(r[0], p.value), Math.max(r[1], p.value)]);
  }
  const colour = (p: (typeof shown)[number]) => {
    if (typeof p.value !== 'number') return VALUE_COLORS.none;
    const [lo, hi] = range.get(p.feature)!;
    return mix(VALUE_COLORS.low, VALUE_COLORS.high, hi > lo ? (p.value - lo) / (hi - lo) : 0.5);
  };
  // Beeswarm spread: dots of one column falling in the same of 60 bins of the axis stack outwards.
  let lo = Math.min(0, ...shown.map((p) => p.attribution));
  let hi = Math.max(0, ...shown.map((p) => p.attribution));
  if (hi - lo < 1e-12) (lo -= 1), (hi += 1);
  const bins = 60;
  const count = new Map<string, number>();
  const slot = shown.map((p) => {
    const key = `${index.get(p.feature)}:${Math.min(bins - 1, Math.floor(((p.attribution - lo) / (hi - lo)) * bins))}`;
    const k = count.get(key) ?? 0;
    count.set(key, k + 1);
    return k;
  });
  const most = Math.max(1, ...count.values());
  const step = Math.min(0.12, 0.76 / most);
  const values = shown.map((p, i) => {
    const k = slot[i];
    const offset = (k % 2 === 0 ? 1 : -1) * Math.ceil(k / 2) * step;
    return { y: index.get(p.feature)! + offset, attribution: p.attribution, colour: colour(p) };
  });
  const labels = Object.fromEntries(columns.map((c, i) => [i, c]));
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: CONFIG,
    width: 300,
    height: Math.max(60, 26 * columns.length),
    data: { values },
    layer: [
      { mark: { type: 'rule', color: '#52606d' }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: 'circle', size: 26, opacity: 0.85, stroke: '#ffffff', strokeWidth: 0.4 },
        encoding: {
          x: { field: 'attribution', type: 'quantitative', scale: { domain: [lo, hi], nice: true }, axis: { title: axisTitle, grid: true, tickCount: 5 } },
          y: {
            field: 'y',
            type: 'quantitative',
            scale: { domain: [-0.5, columns.length - 0.5], reverse: true, nice: false, zero: false },
            axis: { title: null, values: columns.map((_, i) => i), labelExpr: `${exprLiteral(labels)}[datum.value]`, labelLimit: 220, grid: false, ticks: false, domain: false },
          },
          color: { field: 'colour', type: 'nominal', scale: null },
        },
      },
    ],
  };
  return renderVegaLiteSvg(spec);
}
