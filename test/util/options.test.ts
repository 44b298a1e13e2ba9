import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeOption, InputError, kebabFlag, optionDefaults, parseOptions } from '../../src/index.js';

const Demo = z.strictObject({
  maxDepth: z.number().int().min(1).max(64).default(8),
  holdOut: z.number().min(0).lt(1).default(0.2),
  rate: z.number().gt(0).optional(),
  output: z.enum(['tree', 'list']).default('tree'),
  simplify: z.boolean().default(true),
  hidden: z.array(z.number().int().min(1)).default([32, 16]),
  kernel: z
    .custom<(d: number) => number>((v) => typeof v === 'function')
    .meta({ expected: 'a function of the distance' })
    .optional(),
});

describe('parseOptions', () => {
  it('fills in the defaults in schema order and keeps what is given', () => {
    expect(optionDefaults(Demo)).toEqual({ maxDepth: 8, holdOut: 0.2, output: 'tree', simplify: true, hidden: [32, 16] });
    const o = parseOptions(Demo, { output: 'list', maxDepth: 3, rate: undefined }, { method: 'demo' });
    expect(Object.keys(o)).toEqual(['maxDepth', 'holdOut', 'output', 'simplify', 'hidden']);
    expect(o).toMatchObject({ maxDepth: 3, output: 'list' });
  });

  it('names the method, the option and what it must be', () => {
    const bad = (given: unknown) => () => parseOptions(Demo, given, { method: 'demo' });
    expect(bad({ maxDepth: 0 })).toThrow(new InputError('demo: option maxDepth must be an integer from 1 to 64, got 0'));
    expect(bad({ maxDepth: 2.5 })).toThrow('demo: option maxDepth must be an integer from 1 to 64, got 2.5');
    expect(bad({ holdOut: 1 })).toThrow('demo: option holdOut must be a number in [0, 1), got 1');
    expect(bad({ rate: 0 })).toThrow('demo: option rate must be a number > 0, got 0');
    expect(bad({ rate: NaN })).toThrow('demo: option rate must be a number > 0, got NaN');
    expect(bad({ output: 'graph' })).toThrow('demo: option output must be one of tree, list, got "graph"');
    expect(bad({ simplify: 'yes' })).toThrow('demo: option simplify must be true or false, got "yes"');
    expect(bad({ hidden: [8, 0] })).toThrow('demo: option hidden must be a list of integers >= 1, got [8,0]');
    expect(bad({ kernel: 3 })).toThrow('demo: option kernel must be a function of the distance, got 3');
    expect(bad({ depth: 3 })).toThrow('demo: unknown option "depth"; options: maxDepth, holdOut, rate, output, simplify, hidden, kernel');
    expect(bad([1])).toThrow('demo: options must be an object, got [1]');
  });

  it('names the command-line flag when the options come from flags', () => {
    const ctx = { method: 'train', flagOf: kebabFlag };
    expect(() => parseOptions(Demo, { holdOut: 1 }, ctx)).toThrow('--hold-out: expected a number in [0, 1), got 1');
    expect(() => parseOptions(Demo, { maxLeaves: 1 }, ctx)).toThrow('train: unknown option "maxLeaves"; options: maxDepth, holdOut');
    const some = { method: 'x', flagOf: (k: string) => (k === 'maxDepth' ? '--depth' : undefined) };
    expect(() => parseOptions(Demo, { maxDepth: 0 }, some)).toThrow(/^--depth: expected an integer from 1 to 64, got 0$/);
    expect(() => parseOptions(Demo, { rate: -1 }, some)).toThrow(/^x: option rate must be a number > 0, got -1$/);
  });

  it('describes options from the schema itself', () => {
    expect(describeOption(z.number().int().min(0))).toBe('an integer >= 0');
    expect(describeOption(z.number().gt(0).max(1).default(0.95))).toBe('a number in (0, 1]');
    expect(describeOption(z.array(z.union([z.string(), z.number().int().min(0)])))).toBe('a list of strings or integers >= 0');
    expect(kebabFlag('validationSplit')).toBe('--validation-split');
  });
});
