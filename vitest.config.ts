import { defineConfig } from 'vitest/config';
import { HANG_MS } from './test/support/hang.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/secret-fixtures.ts'],
    // Hang detection only: tests wait for events, so a loaded machine makes them slower, never wrong.
    testTimeout: HANG_MS,
    hookTimeout: HANG_MS,
  },
});
