#!/usr/bin/env node
// The `distill` command: runs the compiled CLI (built into dist/ by `npm ci` through `prepare`).
import '../dist/cli/entry.js';
