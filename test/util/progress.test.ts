import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { lineProgress, terminalProgress } from '../../src/util/progress.js';

/** A stream collecting what is written to it. */
function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stream, text: () => chunks.join('') };
}

describe('progress off a terminal', () => {
  it('writes one line per interval with the work done and the seconds since the start, none for short work', () => {
    const out = sink();
    let t = 1000;
    const p = lineProgress(out.stream, 30, () => t);
    p(1, 40, 'deepred layer 2');
    t += 29_000;
    p(2, 40, 'deepred layer 2');
    expect(out.text()).toBe('');
    t += 2_000;
    p(3, 40, 'deepred layer 2');
    t += 10_000;
    p(4, 40, 'deepred layer 1');
    t += 30_000;
    p(9, 40, 'deepred layer 1');
    expect(out.text()).toBe('deepred layer 2: 3/40, 31 s\ndeepred layer 1: 9/40, 71 s\n');
  });

  it('says nothing when quiet', () => {
    const out = sink();
    const p = terminalProgress(true, out.stream as unknown as NodeJS.WriteStream);
    p(1, 2, 'x');
    p.stop();
    expect(out.text()).toBe('');
  });
});
