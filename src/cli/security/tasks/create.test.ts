// `feedgate security tasks create`, the real bundled CLI against a real instance on 127.0.0.1.
import { describe, expect, it } from 'vitest';
import { securityCli } from '../../../../test/helpers/security-cli';

const cli = securityCli('tasks');

interface Task {
  name: string;
  description?: string;
  feedScoped: boolean;
  attributes: string[];
}

const serverTasks = async () => ({
  revision: await cli.revision(),
  tasks: await cli.get<Task[]>('/api/security/tasks/list'),
});

// Several real CLI runs per test on a shared, busy machine: a generous timeout.
describe('feedgate security tasks create', { timeout: 60_000 }, () => {
  it('creates a task from --attribute and --attributes (duplicates once), one revision', async () => {
    const before = await cli.revision();
    const r = await cli.run(
      'create',
      '--task',
      'Readers',
      '--description',
      'read only',
      '--attribute',
      'Feeds_ViewFeed',
      '--attributes',
      'Feeds_DownloadPackage, Feeds_ViewFeed',
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(
      `Created task Readers on ${cli.admin.server.base}: 2 attributes, may be granted at a feed.\n`,
    );
    const after = await serverTasks();
    expect(after.revision).toBe(before + 1);
    expect(after.tasks.find((t) => t.name === 'Readers')).toEqual({
      name: 'Readers',
      description: 'read only',
      feedScoped: true,
      attributes: ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
    });

    const system = await cli.run('create', '--name', 'Licensing', '--attribute', 'Licenses_Manage');
    expect(system.status).toBe(0);
    expect(system.stdout).toContain('1 attribute, system scope only.');
  });

  it('an existing task (built-in or not) is refused, exit 1, and left as it was', async () => {
    const before = await serverTasks();
    for (const name of ['Administer', 'Readers']) {
      const r = await cli.run('create', '--task', name, '--attribute', 'Feeds_ViewFeed');
      expect(r.status, name).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `feedgate: task "${name}" already exists on ${cli.admin.server.base}\n`,
      );
    }
    expect(await serverTasks()).toEqual(before);
  });

  it('an unknown attribute: exit 2 with "did you mean", and no request', async () => {
    const see = '(see `feedgate security tasks attributes list`)';
    await cli.expectBadInput(
      [['create', '--task', 'Typo', '--attributes', 'Feeds_ViewFed,feeds_addpackage']],
      `feedgate: unknown attribute "Feeds_ViewFed" (did you mean "Feeds_ViewFeed"?); unknown attribute "feeds_addpackage" (did you mean "Feeds_AddPackage"?) ${see}\n`,
    );
    await cli.expectBadInput(
      [['create', '--task', 'Typo', '--attribute', 'Nothing_Like_It']],
      `feedgate: unknown attribute "Nothing_Like_It" ${see}\n`,
    );
  });

  it('malformed options: exit 2 and the server logged no request', async () => {
    await cli.expectBadInput([
      ['create', '--attribute', 'Feeds_ViewFeed'],
      ['create', '--task', 'T'],
      ['create', '--task', ' ', '--attribute', 'Feeds_ViewFeed'],
      ['create', '--task', 'T', '--name', 'U', '--attribute', 'Feeds_ViewFeed'],
      ['create', '--task', 'T', '--attribute', ''],
      ['create', '--task', 'T', '--attributes', 'Feeds_ViewFeed,,Feeds_AddPackage'],
      ['create', '--task', 'T', '--attribute', 'Feeds_ViewFeed', '--description', ' '],
      ['create', '--task', 'T', '--attribute', 'Feeds_ViewFeed', '--feed', 'Staging'],
    ]);
  });
});
