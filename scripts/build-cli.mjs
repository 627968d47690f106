// Bundles the `feedgate` command line into one CommonJS file so that `npx feedgate`
// runs without a TypeScript toolchain. Native addons stay external (they load from node_modules).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  entryPoints: [path.join(root, 'src/cli/index.ts')],
  outfile: path.join(root, 'dist/cli/feedgate.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['better-sqlite3', 'keytar', 'electron'],
  logLevel: 'warning',
});
