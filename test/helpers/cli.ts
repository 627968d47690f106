// Runs the real, built `feedgate` command (node bin/feedgate.cjs) as a subprocess, the way a
// user or a script does, and gives temporary files for inputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixture = (name: string): string => path.join('test/fixtures', name);
export const PROMOTE = fixture('promote-example.json');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `feedgate ARGS` from the repository root; asserts it never prints a stack trace. */
export function feedgate(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, ['bin/feedgate.cjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    maxBuffer: 256 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  const out = { status: result.status, stdout: result.stdout, stderr: result.stderr };
  expect(out.stderr, 'no stack trace on stderr').not.toMatch(/^ {4}at /m);
  expect(out.stderr, 'no internal error').not.toContain('feedgate: internal error');
  return out;
}

/** A temporary directory removed by the returned cleanup function. */
export function tempDir(): {
  dir: string;
  file: (name: string, content: string | object) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(path.join(tmpdir(), 'feedgate-cli-'));
  return {
    dir,
    file(name, content) {
      const target = path.join(dir, name);
      writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
      return target;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Policy JSON of about `megabytes` MB: many users in 500 teams nested in two groups, with the
 * promote example's grants. (Teams keep every group small: see docs/cli.md on large groups.)
 */
export function largePolicy(megabytes: number): Record<string, unknown> {
  const count = Math.ceil((megabytes * 1024 * 1024) / 110);
  const users = Array.from({ length: count }, (_, i) => ({
    name: `user-${i}`,
    displayName: `Generated user number ${i}`,
    email: `user-${i}@example.org`,
    groups: [`team-${i % 500}`],
  }));
  const teams = Array.from({ length: 500 }, (_, i) => `team-${i}`);
  return {
    format: 'feedgate-policy/1',
    users,
    groups: [
      { name: 'Developers', groups: teams.filter((_, i) => i % 2 === 0) },
      { name: 'Testers', groups: teams.filter((_, i) => i % 2 === 1) },
      ...teams.map((name) => ({ name })),
    ],
    feeds: [{ name: 'Production' }, { name: 'Staging' }],
    permissions: [
      { group: 'Developers', task: 'Promote Packages' },
      { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
      { group: 'Testers', task: 'View & Download Packages' },
    ],
  };
}

/** A chain of `depth` nested groups (g0 inside g1 inside ... g(depth-1)), closed into a cycle. */
export function deepPolicy(depth: number): Record<string, unknown> {
  const groups = Array.from({ length: depth }, (_, i) => ({
    name: `g${i}`,
    groups: [`g${(i + depth - 1) % depth}`],
  }));
  return {
    format: 'feedgate-policy/1',
    users: [{ name: 'deep', groups: ['g0'] }, { name: 'loner' }],
    groups,
    feeds: [{ name: 'Production' }],
    permissions: [
      { group: `g${depth - 1}`, task: 'Publish Packages' },
      { group: `g${depth - 1}`, task: 'Publish Packages', feed: 'Production', deny: true },
    ],
  };
}
