/**
 * The plain-ASCII help layout lays text out exactly as yargs' own helpers (string-width,
 * wrap-ansi) do, and leaves every other text to them.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadHelpLayout, plainWidth, plainWrap } from '../../src/cli/help-layout.js';

type Wrap = (text: string, columns: number, options?: { hard?: boolean }) => string;

/** wrap-ansi and string-width as cliui (yargs' layout) loads them. */
async function stock(): Promise<{ wrap: Wrap; width: (s: string) => number }> {
  const cliui = createRequire(createRequire(import.meta.url).resolve('yargs')).resolve('cliui');
  const from = createRequire(cliui);
  const load = async (name: string) => (await import(pathToFileURL(from.resolve(name)).href)).default;
  return { wrap: await load('wrap-ansi'), width: await load('string-width') };
}

/** Help-like text: words of any length, runs of spaces, newlines, and now and then a character that is not plain ASCII. */
const text = fc
  .array(fc.oneof({ weight: 8, arbitrary: fc.stringMatching(/^[a-z<>\[\]=.,-]{0,14}$/) }, { weight: 3, arbitrary: fc.constantFrom(' ', '  ', '\n', ' \n ') }, { weight: 1, arbitrary: fc.constantFrom('é', '漢字', '\t', '\x1b[1mbold\x1b[22m', '👍', '\r\n') }), { maxLength: 40 })
  .map((parts) => parts.join(' '));

describe('the plain-ASCII help layout', () => {
  it('is in use with the installed yargs', async () => {
    expect(await loadHelpLayout()).not.toBeNull();
  });

  it('wraps exactly as wrap-ansi (hard, trimmed) and measures as string-width, at any width', async () => {
    const { wrap, width } = await stock();
    const fastWrap = plainWrap(wrap);
    const fastWidth = plainWidth(width);
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 60 }), (s, columns) => {
        expect(fastWrap(s, columns, { hard: true })).toBe(wrap(s, columns, { hard: true }));
        expect(fastWidth(s)).toBe(width(s));
      }),
      { numRuns: 500, seed: 7 },
    );
    // Other modes go to wrap-ansi itself.
    expect(fastWrap('a  b', 3)).toBe(wrap('a  b', 3));
  });
});
