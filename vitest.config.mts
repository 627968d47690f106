import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    watch: false,
    // Bundles the CLI once: its tests run the real dist/cli/feedgate.cjs as a subprocess.
    globalSetup: ['test/setup/build-cli.ts'],
  },
});
