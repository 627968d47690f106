// Bundles the browser host (src/host/main.ts) into one CommonJS file, dist/host/host.cjs.
// Packages stay external: they load from node_modules at run time.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

export const HOST_BUNDLE = path.join(root, 'dist/host/host.cjs');

export async function buildHost() {
  await build({
    entryPoints: [path.join(root, 'src/host/main.ts')],
    outfile: HOST_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return HOST_BUNDLE;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildHost();
}
