// `feedgate security users create` (with show, edit, delete), the real bundled CLI against a
// real instance on 127.0.0.1: the password is never printed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedgateAsync } from '../../../../test/helpers/cli-async';
import {
  startAdminTestInstance,
  type AdminTestInstance,
} from '../../../../test/helpers/admin-server';

let admin: AdminTestInstance;
const source = () => ['--source', admin.server.base, '--api-key', admin.key];
const users = (...args: string[]) => feedgateAsync(['security', 'users', ...args, ...source()]);

beforeAll(async () => {
  admin = await startAdminTestInstance();
});
afterAll(async () => {
  await admin.server.close();
});

const PASSWORD = 'S3cret-pass-for-cli';
const NEW_PASSWORD = 'An0ther-pass-for-cli';

describe('feedgate security users create', () => {
  it('create, show, edit, delete round trip; the password is absent from all output', async () => {
    const outputs: string[] = [];
    const run = async (...args: string[]) => {
      const r = await users(...args);
      outputs.push(r.stdout, r.stderr);
      return r;
    };
    const create = await run(
      'create',
      '--user',
      'zoe',
      '--display-name',
      'Zoe C',
      '--email',
      'zoe@example.com',
      '--password',
      PASSWORD,
    );
    expect(create.stderr).toBe('');
    expect(create.status).toBe(0);
    expect(create.stdout).toBe(`Created user zoe on ${admin.server.base}.\n`);

    const show = await run('show', '--name', 'zoe');
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('Display name: Zoe C');
    expect(show.stdout).toContain('Email:        zoe@example.com');
    const json = await run('show', '--user', 'zoe', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'zoe', email: 'zoe@example.com' });
    expect(JSON.parse(json.stdout)).not.toHaveProperty('password');

    const again = await run('create', '--user', 'zoe', '--password', PASSWORD);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/^feedgate: the server refused the request: /);

    const edit = await run(
      'edit',
      '--user',
      'zoe',
      '--display-name',
      'Zoe D',
      '--password',
      NEW_PASSWORD,
    );
    expect(edit.status).toBe(0);
    expect(edit.stdout).toBe(`Updated user zoe on ${admin.server.base}.\n`);
    const edited = await run('show', '--user', 'zoe', '--json');
    expect(JSON.parse(edited.stdout)).toMatchObject({
      name: 'zoe',
      displayName: 'Zoe D',
      email: 'zoe@example.com',
    });

    const list = await run('list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/^zoe\s+Zoe D\s+zoe@example\.com/m);

    const short = await run('edit', '--user', 'zoe', '--password', 'short');
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('password');

    const del = await run('delete', '--user', 'zoe');
    expect(del.status).toBe(0);
    expect(del.stdout).toContain(`Deleted user zoe on ${admin.server.base}`);
    const gone = await run('show', '--user', 'zoe');
    expect(gone.status).toBe(1);
    expect(gone.stderr).toBe(`feedgate: no user "zoe" on ${admin.server.base}\n`);

    for (const text of outputs) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(NEW_PASSWORD);
      expect(text).not.toContain('short\n');
    }
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    const before = admin.server.logs.length;
    const cases = [
      ['create'],
      ['create', '--user', ' '],
      ['create', '--user', 'a', '--name', 'b'],
      ['create', '--user', 'a', '--password', ''],
      ['create', '--user', 'a', '--email', ''],
      ['edit', '--user', 'a'],
      ['edit', '--display-name', 'x'],
      ['show'],
      ['delete'],
      ['delete', '--user', ''],
    ];
    for (const args of cases) {
      const r = await users(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^feedgate: /);
    }
    expect(admin.server.logs.length).toBe(before);
  });
});
