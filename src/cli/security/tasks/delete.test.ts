// `feedgate security tasks delete`, the real bundled CLI against a real instance on 127.0.0.1.
import { beforeAll, describe, expect, it } from 'vitest';
import { expectUnreachable, securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('tasks');

beforeAll(async () => {
  await cli.post('/api/security/tasks/add', { name: 'Readers', attributes: ['Feeds_ViewFeed'] });
});

const state = async () => ({
  revision: await cli.revision(),
  tasks: (await cli.get<{ name: string }[]>('/api/security/tasks/list')).map((t) => t.name),
});

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks delete', { timeout: 60_000 }, () => {
  it('deletes a task in one revision; an absent task changes nothing', async () => {
    const before = await state();
    expect(before.tasks).toContain('Readers');
    const r = await cli.run('delete', '--task', 'Readers');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Deleted task Readers on ${cli.admin.server.base} (nothing changes if it did not exist).\n`,
    );
    const after = await state();
    expect(after.revision).toBe(before.revision + 1);
    expect(after.tasks).not.toContain('Readers');
    const again = await cli.run('delete', '--name', 'Readers');
    expect(again.status).toBe(0);
    expect(await cli.revision()).toBe(after.revision);
  });

  it('a built-in task or one used by a grant: exit 1 with the server message, nothing changed', async () => {
    const before = await state();
    const builtIn = await cli.run('delete', '--task', 'Administer');
    expect(builtIn.status).toBe(1);
    expect(builtIn.stdout).toBe('');
    expect(builtIn.stderr).toBe(
      'feedgate: the server refused the request: task "Administer" is built-in: it can be edited but not deleted\n',
    );
    expect(await state()).toEqual(before);
    await cli.post('/api/security/tasks/add', { name: 'Used', attributes: ['Feeds_ViewFeed'] });
    await cli.post('/api/security/permissions/add', { user: 'carol', task: 'Used' });
    const mid = await state();
    const used = await cli.run('delete', '--task', 'Used');
    expect(used.status).toBe(1);
    expect(used.stderr).toMatch(
      /^feedgate: the server refused the request: task "Used" is used by grant /,
    );
    expect(await state()).toEqual(mid);
  });

  it('malformed options: exit 2 and no request; an unreachable URL: exit 3', async () => {
    await cli.expectBadInput(
      [['delete'], ['delete', '--task', ''], ['delete', '--task', 'A', '--name', 'B']],
      /^feedgate: --task/,
    );
    await expectUnreachable(['tasks', 'delete', '--task', 'X']);
  });
});
