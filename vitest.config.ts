import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The test files of a worker share one module graph: tfjs, onnxruntime, vega and the toolkit
    // load once per run instead of once per file (most of the suite's CPU time otherwise). A test
    // that changes process-wide state restores it: environment variables, spies, the tfjs backend
    // (test/helpers/setup.ts puts every file back on the default one). CLI tests run `main`
    // in-process through test/helpers/cli.ts, which scopes the environment to each run.
    isolate: false,
    setupFiles: ['test/helpers/setup.ts'],
  },
});
