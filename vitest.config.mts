import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    watch: false,
    // Many tests start real processes (servers, the CLI, slapd, Chromium): on a 2-core CI
    // machine running test files in parallel, 5 s is too tight for a correct test to finish.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Bundles the CLI once: its tests run the real dist/cli/feedgate.cjs as a subprocess.
    globalSetup: ['test/setup/build-cli.ts'],
  },
});
