// `feedgate directories show`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';
import { READER_DN, READER_PASSWORD } from '../../../test/helpers/slapd';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
  await f.addCorp();
});
afterAll(() => f.stop());

describe('feedgate directories show', { timeout: 30_000 }, () => {
  it('the settings as key: value lines, the bind password only as hasBindPassword', async () => {
    const r = await feedgateAsync(['directories', 'show', '--name', 'Corp', ...f.source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('Corp (ldap)');
    expect(lines).toContain(`  url: ${f.slapd.url}`);
    expect(lines).toContain(`  bindDn: ${READER_DN}`);
    expect(lines).toContain('  hasBindPassword: true');
    expect(lines).toContain('  membership.mode: recursive');
    expect(lines).toContain('  attributes.loginName: uid');
    expect(r.stdout).not.toContain(READER_PASSWORD);
  });

  it('--json, and the built-in directory', async () => {
    const r = await feedgateAsync([
      'directories',
      'show',
      '--name',
      'Built-in',
      '--json',
      ...f.source(),
    ]);
    expect(JSON.parse(r.stdout)).toEqual({ name: 'Built-in', type: 'builtin', active: true });
  });

  it('an unknown directory: exit 1 naming the ones there are', async () => {
    const r = await feedgateAsync(['directories', 'show', '--name', 'Nope', ...f.source()]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `feedgate: no directory named "Nope" on ${f.admin.server.base} (there are: Built-in, Corp)\n`,
    );
  });
});
