/** Public API of src/data: re-exports only. */
export { loadDataset, sniffFormat, type DataFormat } from './load.js';
export { DataOptionError, type LoadOptions } from './options.js';
export { loadCsv, parseCsv } from './csv.js';
export { loadArff, parseArff } from './arff.js';
export { loadJsonData, parseJsonTable } from './json.js';
export { inferDataset, type RawTable, type RawColumn, type DeclaredType } from './infer.js';
export {
  listBuiltins,
  loadBuiltin,
  isBuiltinSpec,
  generateMonk,
  generateXor,
  MONK_CONCEPTS,
  type BuiltinInfo,
} from './builtins.js';
export { splitDataset, splitIndices, selectRows } from './split.js';
export { alignRows, alignTable, targetValues } from './align.js';
export { integerColumns } from './integerColumns.js';
export {
  tableOf,
  tableDataset,
  emptyTable,
  setRow,
  rowOf,
  rowsOf,
  rowSlice,
  rowReader,
  rowCount,
  isTable,
  pickRows,
  appendRows,
  levelCode,
  isMissingCell,
  type DataTable,
  type TableColumn,
  type RowsLike,
} from './table.js';
export {
  fitEncoder,
  encodeRows,
  identityEncoder,
  parseEncoder,
  encodedSpans,
  encodedNames,
  ENCODER_FORMAT,
  type EncodedFeature,
  type EncoderJSON,
} from './encoder.js';
export { encodedColumns, decodeValue, sumToColumns, encodingJacobian, rawGradients, type EncodedColumn } from './encodedColumns.js';
export { isMissingText, parseNumberText, sortCategories } from './values.js';
