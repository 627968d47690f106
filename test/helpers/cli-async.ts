// Runs the real, built `feedgate` command as an ASYNC subprocess: needed when the test process
// itself serves the instance the command calls (spawnSync would block the server's event loop).
import { createServer, type AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { ROOT, type CliResult } from './cli';

export function feedgateAsync(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/feedgate.cjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      expect(stderr, 'no stack trace on stderr').not.toMatch(/^ {4}at /m);
      expect(stderr, 'no internal error').not.toContain('feedgate: internal error');
      resolve({ status, stdout, stderr });
    });
  });
}

/** A loopback port that nothing listens on (opened, read, closed), for "cannot reach" tests. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
