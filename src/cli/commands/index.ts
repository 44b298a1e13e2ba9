/**
 * The explicit registry of `distill` commands: one module per command, each exporting a yargs
 * `CommandModule` as `default`. A new command is a new file plus one line here.
 */
import type { CommandModule } from 'yargs';
import train from './train.js';
import predict from './predict.js';
import apply from './apply.js';
import score from './score.js';
import rules from './rules.js';
import report from './report.js';
import demo from './demo.js';
import datasets from './datasets.js';
import explain from './explain.js';
import extract from './extract.js';
import inspect from './inspect.js';
import worker from './worker.js';
import audit from './audit.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [train, predict, apply, score, rules, report, demo, datasets, explain, extract, inspect, worker, audit];
