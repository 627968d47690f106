// `feedgate directories list`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';
import { READER_PASSWORD } from '../../../test/helpers/slapd';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
  await f.addCorp();
});
afterAll(() => f.stop());

describe('feedgate directories list', { timeout: 30_000 }, () => {
  it('a table: name, type, active, URL', async () => {
    const r = await feedgateAsync(['directories', 'list', ...f.source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TYPE\s+ACTIVE\s+URL$/);
    expect(lines[1]).toMatch(/^Built-in\s+builtin\s+yes\s+-$/);
    expect(lines[2]).toMatch(new RegExp(`^Corp\\s+ldap\\s+-\\s+${f.slapd.url}$`));
  });

  it('--json: the settings with hasBindPassword, never the password', async () => {
    const r = await feedgateAsync(['directories', 'list', '--json', ...f.source()]);
    expect(r.status).toBe(0);
    const list = JSON.parse(r.stdout) as { name: string; config?: Record<string, unknown> }[];
    expect(list.map((d) => d.name)).toEqual(['Built-in', 'Corp']);
    expect(list[1]?.config).toMatchObject({ hasBindPassword: true, url: f.slapd.url });
    expect(r.stdout).not.toContain(READER_PASSWORD);
  });

  it('a wrong key: exit 1', async () => {
    const r = await feedgateAsync([
      'directories',
      'list',
      '--source',
      f.admin.server.base,
      '--api-key',
      'fgk_wrong',
    ]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('feedgate: access denied (check the API key)\n');
  });
});
