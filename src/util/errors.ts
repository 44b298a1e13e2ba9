/**
 * Errors the toolkit raises for bad input (files, flags, network answers, imported JSON).
 *
 * An {@link InputError} is the user's to fix: the CLI prints its one-line message and exits with
 * code 2. Anything else is an internal error (exit code 1). Messages name what was wrong and where:
 * `file:line:column`, a JSON path, a flag or a column.
 *
 * @example
 * throw new InputError('expected a number, got "abc"', { file: 'data.csv', line: 4, column: 'age' });
 * // message: data.csv:4: column "age": expected a number, got "abc"
 */
export interface ErrorLocation {
  /** File (or URL) at fault. */
  file?: string;
  /** 1-based line in the file. */
  line?: number;
  /** Column name or 1-based column number. */
  column?: string | number;
  /** JSON path such as `$.model.rules[3].conditions[0]`. */
  path?: string;
  /** Command-line flag such as `--target`. */
  flag?: string;
}

export class InputError extends Error {
  readonly location: ErrorLocation;
  readonly detail: string;

  constructor(detail: string, location: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(formatLocation(location) + detail, options);
    this.name = 'InputError';
    this.detail = detail;
    this.location = location;
  }
}

/** Formats an {@link ErrorLocation} as a message prefix, e.g. `data.csv:4: column "age": `. */
export function formatLocation(loc: ErrorLocation): string {
  let s = '';
  if (loc.flag) s += `${loc.flag}: `;
  if (loc.file) s += loc.file + (loc.line !== undefined ? `:${loc.line}` : '') + ': ';
  else if (loc.line !== undefined) s += `line ${loc.line}: `;
  if (loc.column !== undefined) s += typeof loc.column === 'number' ? `column ${loc.column}: ` : `column "${loc.column}": `;
  if (loc.path) s += `at ${loc.path}: `;
  return s;
}

/** True when `e` is an {@link InputError} (also across module copies). */
export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError || (e instanceof Error && e.name === 'InputError');
}
