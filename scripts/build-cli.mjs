// Bundles the `feedgate` command line into one CommonJS file so that `npx feedgate`
// runs without a TypeScript toolchain. Native addons stay external (they load from node_modules).
// The bundle is written to a temporary file and renamed, so a concurrent run never sees half a file.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outfile = path.join(root, 'dist/cli/feedgate.cjs');

const result = await build({
  entryPoints: [path.join(root, 'src/cli/index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  external: ['better-sqlite3', 'keytar', 'electron'],
  logLevel: 'warning',
  write: false,
});

mkdirSync(path.dirname(outfile), { recursive: true });
for (const file of result.outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
