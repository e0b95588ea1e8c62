import { defineConfig } from 'vitest/config';

// End-to-end tests against a real VS Code (code-server) driven by Chromium. Not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/e2e/scenarios/**/*.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    // One code-server + Chromium at a time: two cores, and each instance is heavy.
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 90_000,
    // The first run installs code-server (about 1.5 minutes plus apt-get).
    hookTimeout: 20 * 60_000,
    teardownTimeout: 30_000,
    reporters: ['default'],
  },
});
