import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

const RENDERER_TESTS = 'src/renderer/**/*.test.ts';

export default defineConfig({
  test: {
    watch: false,
    // Many tests start real processes (servers, the CLI, slapd, Chromium): on a 2-core CI
    // machine running test files in parallel, 5 s is too tight for a correct test to finish.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [RENDERER_TESTS],
          environment: 'node',
          // Bundles the CLI once: its tests run the real dist/cli/feedgate.cjs as a subprocess.
          globalSetup: ['test/setup/build-cli.ts'],
        },
      },
      {
        // Renderer components compile with the Svelte plugin and run in jsdom against
        // Svelte's browser build (the 'browser' export condition), not its server build.
        extends: true,
        plugins: [svelte({ configFile: './svelte.config.mjs' }), svelteTesting()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          include: [RENDERER_TESTS],
          environment: 'jsdom',
        },
      },
    ],
  },
});
