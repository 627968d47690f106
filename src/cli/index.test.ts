// The `feedgate` program itself: help, version, usage errors (exit 2), no stack traces.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROMOTE, ROOT, feedgate } from '../../test/helpers/cli';
import packageJson from '../../package.json';

describe('feedgate', () => {
  it('prints its version (equal to package.json) and exits 0', () => {
    const r = feedgate(['--version']);
    expect(r).toEqual({ status: 0, stdout: `${packageJson.version}\n`, stderr: '' });
  });

  it.each([
    [['--help']],
    [['policy', '--help']],
    [['policy', 'check', '--help']],
    [['help', 'policy']],
  ])('%j prints help on stdout and exits 0', (args) => {
    const r = feedgate(args);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: feedgate');
    expect(r.stderr).toBe('');
  });

  it('lists the policy commands and the exit codes in its help', () => {
    const r = feedgate(['policy', '--help']);
    for (const command of ['check', 'explain', 'who', 'lint', 'test', 'diff'])
      expect(r.stdout).toContain(command);
    expect(feedgate(['--help']).stdout).toContain(
      'Exit codes: 0 success/allowed, 1 denied or failed, 2 bad input, 3 server unreachable or internal error.',
    );
  });

  it.each([
    [[], 'Usage: feedgate'],
    [['policy'], 'Usage: feedgate policy'],
    [['polcy'], "unknown command 'polcy'"],
    [['policy', 'chek'], "unknown command 'chek'"],
    [['--frobnicate'], "unknown option '--frobnicate'"],
  ])('%j is a usage error: exit 2, message on stderr', (args, message) => {
    const r = feedgate(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('prefixes its own messages with "feedgate:" and hints at --help', () => {
    const r = feedgate(['policy', 'check', 'x.json', '--user', 'a']);
    expect(r.stderr).toBe(
      "feedgate: required option '-a, --attribute <id>' not specified\n(add --help for usage)\n",
    );
  });

  it('writes no color codes when NO_COLOR is set or stdout is not a terminal', () => {
    const r = feedgate(
      ['policy', 'explain', 'test/fixtures/promote-example.json', '--user', 'bob'],
      { NO_COLOR: '' },
    );
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 3 with one line, no stack trace, when its output cannot be written', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(
        process.execPath,
        ['bin/feedgate.cjs', 'policy', 'explain', PROMOTE, '-u', 'bob'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          stdio: ['ignore', full, 'pipe'],
        },
      );
      expect(r.status).toBe(3);
      expect(r.stderr).toBe(
        'feedgate: cannot write output: ENOSPC: no space left on device, write\n',
      );
    } finally {
      closeSync(full);
    }
  });
});
