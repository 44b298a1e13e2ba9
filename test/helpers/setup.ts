/**
 * Runs before every test file (vitest `setupFiles`). Test files share one process (see
 * vitest.config.ts), so each starts on the tfjs backend a fresh process would pick, whatever the
 * previous file selected.
 */
import { beforeAll } from 'vitest';
import { initBackend } from '../../src/model/backend.js';
import { freshBackend } from './fresh-backend.js';

beforeAll(async () => {
  await initBackend(await freshBackend());
});
