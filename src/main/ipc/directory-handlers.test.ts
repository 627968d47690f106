// The directory and recovery-plan channels through the real registry, over a real workspace
// with an embedded instance (the built CLI) and the real slapd fixture. Every result is checked
// against its schema (validateResults); the bind password is an argument and never comes back
// in any answer; the instance's refusals reach the renderer as `refused` with its reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../../test/helpers/cli';
import {
  GROUPS_BASE,
  PEOPLE_BASE,
  READER_DN,
  READER_PASSWORD,
  startSlapd,
  type Slapd,
} from '../../../test/helpers/slapd';
import type { AppApiResponse } from '../../shared/app-api';
import { Workspace } from '../../workspace/workspace';
import { createEventHub } from './events';
import { APP_API_HANDLERS } from './handlers';
import { createRegistry, type AppApiRegistry } from './registry';

let dir: string;
let slapd: Slapd;
let workspace: Workspace;
let api: AppApiRegistry;
let id: string;
const transcript: AppApiResponse[] = [];

async function answer(channel: string, args: unknown): Promise<AppApiResponse> {
  const response = await api.invoke(channel, args);
  transcript.push(response);
  return response;
}

beforeAll(async () => {
  slapd = await startSlapd();
  dir = mkdtempSync(path.join(tmpdir(), 'feedgate-ipc-directories-'));
  workspace = new Workspace({
    appDataDir: path.join(dir, 'app'),
    cliBundle: path.join(ROOT, 'dist/cli/feedgate.cjs'),
  });
  api = createRegistry(APP_API_HANDLERS, {
    context: { host: 'browser', events: createEventHub(), workspace },
    validateResults: true,
  });
  const added = await workspace.connections.addEmbedded({
    name: 'Lab',
    dataDir: path.join(dir, 'lab'),
    autostart: false,
    keyStorage: 'memory',
  });
  id = added.connection.id;
}, 60_000);

afterAll(async () => {
  await workspace?.close();
  await slapd?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const settings = () => ({
  preset: 'openldap',
  url: slapd.url,
  bindDn: READER_DN,
  userBase: PEOPLE_BASE,
  groupBase: GROUPS_BASE,
});

describe('directory channels', { timeout: 60_000 }, () => {
  it('save, test, switch and remove within their contracts; the bind password never comes back', async () => {
    expect(
      await answer('directories:save', {
        id,
        name: 'Corp',
        settings: settings(),
        bindPassword: READER_PASSWORD,
      }),
    ).toMatchObject({
      ok: true,
      value: { directory: { name: 'Corp', type: 'ldap', active: false, hasBindPassword: true } },
    });
    expect(await answer('directories:list', { id })).toMatchObject({
      ok: true,
      value: { directories: [{ name: 'Built-in', active: true }, { name: 'Corp' }] },
    });
    expect(
      await answer('directories:test', {
        id,
        name: 'Corp',
        signInAs: { user: 'zoe', password: 'pw-zoë-ü' },
      }),
    ).toMatchObject({
      ok: true,
      value: { ok: true, signedIn: true, user: { name: 'zoe', displayName: 'Zoë Ångström' } },
    });
    expect(await answer('directories:switch', { id, name: 'Corp' })).toMatchObject({
      ok: true,
      value: { status: 'refused-lockout', name: 'Corp', reason: expect.stringContaining('Admin') },
    });
    expect(await answer('directories:remove', { id, name: 'Corp' })).toEqual({
      ok: true,
      value: { name: 'Corp' },
    });
    expect(JSON.stringify(transcript)).not.toContain(READER_PASSWORD);
  });

  it("answers the instance's refusals as refused, with its reason", async () => {
    expect(
      await answer('directories:save', {
        id,
        name: 'Corp',
        settings: { ...settings(), url: 'ldap://host/path' },
        bindPassword: READER_PASSWORD,
      }),
    ).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message:
          'directories:save refused: the server refused the request: url: must be scheme, host and port only',
      },
    });
    expect(await answer('directories:remove', { id, name: 'Built-in' })).toMatchObject({
      ok: false,
      error: { code: 'refused', message: expect.stringContaining('built-in directory') },
    });
    expect(await answer('directories:list', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
  });

  it('plans the recovery of the embedded instance without doing it', async () => {
    const plan = await answer('recovery:plan', { id });
    expect(plan).toMatchObject({
      ok: true,
      value: {
        kind: 'embedded',
        connectionName: 'Lab',
        command: `feedgate recover reset-directory --data-dir ${path.join(dir, 'lab')}`,
      },
    });
    expect(workspace.connections.instance(id).status().state).toBe('running');
  });
});
