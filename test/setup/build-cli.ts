// vitest globalSetup: bundles the `feedgate` command line once before the tests that run it
// as a subprocess (node bin/feedgate.cjs), so they never test a stale bundle.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  execFileSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs')], {
    cwd: root,
    stdio: 'inherit',
  });
}
