/**
 * The explicit registry of `distill` commands: one module per command, each exporting a yargs
 * `CommandModule` as `default`. A new command is a new file plus one line here.
 */
import type { CommandModule } from 'yargs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [];
