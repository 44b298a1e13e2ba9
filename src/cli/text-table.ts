/** Plain text tables for command output. */

/**
 * A plain text table: columns padded to their widest cell, numbers right-aligned, the last column
 * left as it is (no trailing spaces).
 *
 * @example
 * textTable(['rows', 'name'], [[150, 'iris'], [4, 'xor']]);
 * // 'rows  name\n 150  iris\n   4  xor'
 */
export function textTable(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  const numeric = head.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === 'number'));
  const line = (r: string[]) =>
    r
      .map((c, j) => (j === r.length - 1 ? c : numeric[j] ? c.padStart(width[j]) : c.padEnd(width[j])))
      .join('  ')
      .trimEnd();
  return cells.map(line).join('\n');
}
