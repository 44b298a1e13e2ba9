/** Public API of src/report: re-exports only. */
export * from './types.js';
export { escapeHtml } from './escapeHtml.js';
export { renderReport } from './renderReport.js';
export { treeDiagram, wrapText } from './treeDiagram.js';
export { renderVegaSvg, renderVegaLiteSvg, scopeSvgIds, weightChartSvg, fidelityChartSvg, treeDiagramSvg } from './charts.js';
export { buildReport, reportExplanation, summarizeData, MODEL_ACCURACY_FACT, type BuildReportOptions } from './buildReport.js';
