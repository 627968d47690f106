// `feedgate directories remove`, the real bundled CLI against a real instance and a real slapd.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../test/helpers/cli-async';
import { startLdapCliFixture, type LdapCliFixture } from '../../../test/helpers/directories-cli';

let f: LdapCliFixture;
beforeAll(async () => {
  f = await startLdapCliFixture();
  await f.addCorp();
});
afterAll(() => f.stop());

describe('feedgate directories remove', { timeout: 30_000 }, () => {
  it('refuses the built-in and the active directory (exit 1), removes an inactive LDAP one', async () => {
    const builtin = await feedgateAsync([
      'directories',
      'remove',
      '--name',
      'Built-in',
      ...f.source(),
    ]);
    expect(builtin.status).toBe(1);
    expect(builtin.stderr).toContain('is the built-in directory: it cannot be removed');

    f.grantAdminister(['engineering']);
    await feedgateAsync(['directories', 'activate', '--name', 'Corp', ...f.source()]);
    const active = await feedgateAsync(['directories', 'remove', '--name', 'Corp', ...f.source()]);
    expect(active.status).toBe(1);
    expect(active.stderr).toContain('"Corp" is the active directory');
    await feedgateAsync(['directories', 'activate', '--name', 'Built-in', ...f.source()]);

    const r = await feedgateAsync(['directories', 'remove', '--name', 'Corp', ...f.source()]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`Removed directory "Corp" from ${f.admin.server.base}.\n`);
    const list = await feedgateAsync(['directories', 'list', '--json', ...f.source()]);
    expect((JSON.parse(list.stdout) as { name: string }[]).map((d) => d.name)).toEqual([
      'Built-in',
    ]);
    const again = await feedgateAsync(['directories', 'remove', '--name', 'Corp', ...f.source()]);
    expect(again.status).toBe(1);
  });
});
