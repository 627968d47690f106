// The handler registry with the real handlers and the real engine: every channel refuses
// malformed arguments with a message that names the field (table-driven over the channel
// map), answers well-formed calls with results that satisfy the contract, and turns a
// failing handler into one line without a stack.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { APP_API, APP_API_CHANNELS, POLICY_TEXT_MAX, type ChannelName } from '../../shared/app-api';
import { createEventHub } from './events';
import { APP_API_HANDLERS } from './handlers';
import { createRegistry, type AppApiHandlers } from './registry';

const POLICY = readFileSync(
  new URL('../../../test/fixtures/promote-example.json', import.meta.url),
  'utf8',
);
const POLICY_V2 = readFileSync(
  new URL('../../../test/fixtures/promote-example-v2.json', import.meta.url),
  'utf8',
);

function registry(handlers: AppApiHandlers = APP_API_HANDLERS) {
  return createRegistry(handlers, {
    context: { host: 'browser', events: createEventHub() },
    validateResults: true,
  });
}

interface Malformed {
  args: unknown;
  /** What the error message must contain: the field and what is wrong with it. */
  says: string;
}

/** Malformed arguments every channel must refuse. */
const COMMON: Malformed[] = [
  { args: undefined, says: '(root): ' },
  { args: null, says: '(root): ' },
  { args: 'policy', says: '(root): ' },
  { args: [], says: '(root): ' },
  { args: { unexpected: true }, says: 'unexpected: unknown field' },
];

const check = (query: unknown, policyText: unknown = POLICY) => ({ policyText, query });

const noId: Malformed[] = [
  { args: {}, says: 'id: ' },
  { args: { id: '' }, says: 'id: must not be empty' },
  { args: { id: 7 }, says: 'id: ' },
];

/** The workspace channels: an id everywhere, and their own fields. */
const WORKSPACE_MALFORMED = {
  'connections:list': [],
  'connections:add-remote': [
    { args: { name: 'P', url: 'http://h', keyStorage: 'keychain' }, says: 'apiKey: ' },
    {
      args: { name: 'P', url: 'http://h', apiKey: 'k', keyStorage: 'disk' },
      says: 'keyStorage: ',
    },
  ],
  'connections:add-embedded': [
    {
      args: { name: 'E', dataDir: '/d', autostart: true, keyStorage: 'memory', port: 70000 },
      says: 'port: ',
    },
    { args: { name: 'E', dataDir: '', autostart: true, keyStorage: 'memory' }, says: 'dataDir: ' },
  ],
  'connections:first-launch': [{ args: { keyStorage: 'file' }, says: 'keyStorage: ' }],
  'launch:default-status': [],
  'connections:remove': noId,
  'connections:test': noId,
  'instance:start': noId,
  'instance:stop': noId,
  'instance:status': noId,
  'instance:log': noId,
  'sync:pull': noId,
  'sync:diff': noId,
  'sync:merge': noId,
  'sync:resolve': [...noId, { args: { id: 'c', choices: { x: 'mine' } }, says: 'choices.x: ' }],
  'sync:push': [...noId, { args: { id: 'c', allowLockout: 'yes' }, says: 'allowLockout: ' }],
  'draft:get': noId,
  'draft:edit': [
    ...noId,
    {
      args: { id: 'c', label: 'x', changeSet: { operations: [{ op: 'drop' }] } },
      says: 'changeSet.operations[0].op: ',
    },
    { args: { id: 'c', changeSet: { operations: [] } }, says: 'label: ' },
  ],
  'draft:undo': noId,
  'draft:redo': noId,
  'policy:export': [
    ...noId,
    { args: { id: 'c', which: 'draft', format: 'xml' }, says: 'format: ' },
  ],
  'policy:import': [...noId, { args: { id: 'c' }, says: 'policyText: ' }],
  'recovery:reset': noId,
  'recovery:plan': noId,
  'directories:list': noId,
  'directories:save': [
    ...noId,
    {
      args: { id: 'c', settings: { url: 'ldap://h', userBase: 'b', groupBase: 'g' } },
      says: 'name: ',
    },
    {
      args: { id: 'c', name: 'Corp', settings: { url: 'ldap://h', userBase: 'b' } },
      says: 'settings.groupBase: ',
    },
    {
      args: {
        id: 'c',
        name: 'Corp',
        settings: { url: 'ldap://h', userBase: 'b', groupBase: 'g', colour: 1 },
      },
      says: 'settings.colour: unknown field',
    },
  ],
  'directories:test': [
    ...noId,
    { args: { id: 'c', name: 'Corp', signInAs: { user: 'bob' } }, says: 'signInAs.password: ' },
  ],
  'directories:switch': [
    ...noId,
    { args: { id: 'c', name: '' }, says: 'name: must not be empty' },
    { args: { id: 'c', name: 'Corp', allowLockout: 'yes' }, says: 'allowLockout: ' },
  ],
  'directories:remove': [...noId, { args: { id: 'c' }, says: 'name: ' }],
} satisfies Partial<Record<ChannelName, Malformed[]>>;

/** The principal picker's and the Access screen's channels. */
const PRINCIPALS_MALFORMED = {
  'principals:search': [
    ...noId,
    { args: { id: 'c' }, says: 'term: ' },
    { args: { id: 'c', term: 'bo', kind: 'robot' }, says: 'kind: ' },
  ],
  'access:who-can': [
    { args: { subject: { task: 'T' }, scope: { feed: 'F' } }, says: 'source: ' },
    { args: { source: { policyText: POLICY }, scope: { feed: 'F' } }, says: 'subject: ' },
    {
      args: { source: { id: 'c' }, subject: { task: 'T' }, scope: { feeds: 'F' } },
      says: 'scope: ',
    },
  ],
  'access:what-can': [
    { args: { source: { id: 'c' }, feed: 'F' }, says: 'principal: ' },
    {
      args: { source: { id: 'c' }, principal: { kind: 'robot', name: 'r' }, feed: 'F' },
      says: 'principal.kind: ',
    },
  ],
  'access:matrix': [
    { args: matrix({ mode: 'roles' }), says: 'mode: ' },
    { args: matrix({ subject: { feed: 'F' } }), says: 'subject: ' },
    { args: matrix({ rows: { offset: -1, limit: 10 } }), says: 'rows.offset: ' },
    { args: matrix({ rows: { offset: 0, limit: 0 } }), says: 'rows.limit: ' },
    { args: matrix({ rows: { offset: 0, limit: 201 } }), says: 'rows.limit: ' },
    { args: matrix({ feeds: { offset: 1.5, limit: 10 } }), says: 'feeds.offset: ' },
    { args: matrix({ feeds: { offset: 0, limit: 101 } }), says: 'feeds.limit: ' },
    { args: matrix({ feeds: undefined }), says: 'feeds: ' },
    { args: matrix({ filter: 'x'.repeat(257) }), says: 'filter: ' },
  ],
  'access:matrix-why': [
    { args: matrixWhy({ principal: '' }), says: 'principal: must not be empty' },
    { args: matrixWhy({ feed: undefined }), says: 'feed: ' },
    { args: matrixWhy({ mode: 'everyone' }), says: 'mode: ' },
    { args: matrixWhy({ source: { id: '' } }), says: 'source' },
  ],
} satisfies Partial<Record<ChannelName, Malformed[]>>;

/** A well-formed matrix window question, with `change` made to it. */
function matrix(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: { policyText: POLICY },
    mode: 'users',
    subject: { attribute: 'Feeds_AddPackage' },
    rows: { offset: 0, limit: 50 },
    feeds: { offset: 0, limit: 20 },
    ...change,
  };
}

function matrixWhy(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    source: { policyText: POLICY },
    mode: 'groups',
    subject: { task: 'Promote Packages' },
    principal: 'Developers',
    feed: 'Production',
    ...change,
  };
}

/** The API keys and audit channels: the rules of a key's type named by field. */
const KEYS_MALFORMED = {
  'apikeys:list': noId,
  'apikeys:create': [
    ...noId,
    { args: { id: 'c', type: 'admin' }, says: 'type: must be system, feed or personal' },
    {
      args: { id: 'c', type: 'feed', permissions: ['view'] },
      says: 'feed: a feed key needs exactly one of feed and feedGroup',
    },
    {
      args: { id: 'c', type: 'feed', feed: 'F', permissions: [] },
      says: 'permissions: a feed key needs one or more of view, add, promote, delete',
    },
    {
      args: { id: 'c', type: 'feed', feed: 'F', permissions: ['publish'] },
      says: 'permissions[0]: must be view, add, promote or delete',
    },
    { args: { id: 'c', type: 'personal' }, says: 'user: a personal key needs the user it acts as' },
    { args: { id: 'c', type: 'system', feed: 'F' }, says: 'feed: is for feed keys only' },
    {
      args: { id: 'c', type: 'system', expiration: '2001-01-01' },
      says: 'expiration: must be in the future',
    },
    { args: { id: 'c', type: 'system', expiration: 'soon' }, says: 'expiration: must be a date' },
  ],
  'apikeys:revoke': [
    ...noId,
    { args: { id: 'c' }, says: 'keyId: ' },
    { args: { id: 'c', keyId: 0 }, says: 'keyId: must be a key id' },
  ],
  'audit:list': [
    ...noId,
    { args: { id: 'c', limit: 0 }, says: 'limit: ' },
    { args: { id: 'c', before: -3 }, says: 'before: must be an entry id' },
  ],
} satisfies Partial<Record<ChannelName, Malformed[]>>;

/** Per channel, the malformed arguments that concern its own fields. */
const MALFORMED: Record<ChannelName, Malformed[]> = {
  'app:info': [],
  'policy:check': [
    { args: { query: { user: 'a', attribute: 'Feeds_ViewFeed' } }, says: 'policyText: ' },
    { args: check({ user: 'a', attribute: 'Feeds_ViewFeed' }, 42), says: 'policyText: ' },
    { args: { policyText: POLICY }, says: 'query: ' },
    { args: check({ attribute: 'Feeds_ViewFeed' }), says: 'query.user: ' },
    {
      args: check({ user: '  ', attribute: 'Feeds_ViewFeed' }),
      says: 'query.user: must not be empty',
    },
    { args: check({ user: 'a', attribute: 7 }), says: 'query.attribute: ' },
    { args: check({ user: 'a', attribute: 'Feeds_ViewFeed', feed: null }), says: 'query.feed: ' },
    { args: check({ user: 'a', attribute: 'Feeds_ViewFeed', owner: {} }), says: 'query.owner: ' },
    {
      args: check({ user: 'a', attribute: 'Feeds_ViewFeed', admin: true }),
      says: 'query.admin: unknown field',
    },
    {
      args: check({ user: 'a', attribute: 'Feeds_ViewFeed' }, 'x'.repeat(POLICY_TEXT_MAX + 1)),
      says: 'policyText: ',
    },
  ],
  'policy:explain': [
    { args: { user: 'a' }, says: 'policyText: ' },
    { args: { policyText: POLICY }, says: 'user: ' },
    { args: { policyText: POLICY, user: '' }, says: 'user: must not be empty' },
    { args: { policyText: POLICY, user: 'a', feed: 3 }, says: 'feed: ' },
    { args: { policyText: POLICY, user: 'a', owner: false }, says: 'owner: ' },
  ],
  'policy:lint': [
    { args: {}, says: 'policyText: ' },
    { args: { policyText: ['a'] }, says: 'policyText: ' },
  ],
  'policy:diff': [
    { args: { newText: POLICY }, says: 'oldText: ' },
    { args: { oldText: POLICY }, says: 'newText: ' },
    { args: { oldText: POLICY, newText: 1 }, says: 'newText: ' },
  ],
  ...WORKSPACE_MALFORMED,
  ...PRINCIPALS_MALFORMED,
  ...KEYS_MALFORMED,
};

/** One well-formed call per engine channel (the workspace's: workspace-handlers.test.ts). */
const WELL_FORMED: Partial<Record<ChannelName, unknown>> = {
  'app:info': {},
  'policy:check': check({ user: 'carol', attribute: 'Admin_ConfigureProGet' }),
  'policy:explain': { policyText: POLICY, user: 'carol' },
  'policy:lint': { policyText: POLICY },
  'policy:diff': { oldText: POLICY, newText: POLICY_V2 },
  'access:who-can': {
    source: { policyText: POLICY },
    subject: { task: 'Promote Packages' },
    scope: { feedGroup: 'production-packages' },
  },
  'access:what-can': {
    source: { policyText: POLICY },
    principal: { kind: 'group', name: 'Developers' },
    feed: 'Production',
  },
  'access:matrix': matrix(),
  'access:matrix-why': matrixWhy(),
};

describe('AppApi registry', () => {
  const api = registry();

  const cases = APP_API_CHANNELS.flatMap((channel) =>
    [...COMMON, ...MALFORMED[channel]].map((c, i) => ({ channel, i, ...c })),
  );

  it.each(cases)(
    '$channel refuses malformed arguments #$i ($says)',
    async ({ channel, args, says }) => {
      const response = await api.invoke(channel, args);
      expect(response.ok).toBe(false);
      if (response.ok) return;
      expect(response.error.code).toBe('bad-arguments');
      expect(response.error.message).toMatch(new RegExp(`^${channel}: invalid arguments: `));
      expect(response.error.message).toContain(says);
      expect(response.error.message).not.toMatch(/\n|\s+at /);
    },
  );

  it.each(Object.keys(WELL_FORMED) as ChannelName[])(
    '%s answers a well-formed call within its contract',
    async (channel) => {
      const response = await api.invoke(channel, WELL_FORMED[channel]);
      expect(response).toMatchObject({ ok: true });
      if (!response.ok) return;
      expect(APP_API[channel].result.safeParse(response.value).success).toBe(true);
    },
  );

  it('refuses an unknown channel', async () => {
    for (const channel of ['policy:delete', '__proto__', 'toString', '']) {
      const response = await api.invoke(channel, {});
      expect(response).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    }
  });

  it('answers app:info with the host it runs in', async () => {
    const response = await api.invoke('app:info', {});
    expect(response).toEqual({
      ok: true,
      value: {
        name: 'feedgate',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        host: 'browser',
      },
    });
  });

  it('decides a check with its trace, like the engine', async () => {
    const denied = await api.invoke(
      'policy:check',
      check({ user: 'Anonymous', attribute: 'Admin_ConfigureProGet' }),
    );
    expect(denied).toMatchObject({
      ok: true,
      value: { valid: true, decision: { allowed: false } },
    });
    const allowed = await api.invoke('policy:check', WELL_FORMED['policy:check']);
    expect(allowed).toMatchObject({
      ok: true,
      value: { valid: true, decision: { allowed: true, decidedBy: { task: 'Administer' } } },
    });
  });

  it('answers an invalid policy with its problems, not an error', async () => {
    const response = await api.invoke('policy:lint', { policyText: '{"users": [{"nom": "x"}]}' });
    expect(response).toMatchObject({ ok: true, value: { valid: false } });
    if (!response.ok) return;
    const value = response.value as { problems: { path: string }[] };
    expect(value.problems.map((p) => p.path)).toContain('users[0].nom');
    const diff = await api.invoke('policy:diff', { oldText: POLICY, newText: '[' });
    expect(diff).toMatchObject({ ok: true, value: { valid: false, side: 'new' } });
  });

  it('explains an unknown feed as a question error', async () => {
    const response = await api.invoke('policy:explain', {
      policyText: POLICY,
      user: 'Admin',
      feed: 'no-such-feed',
    });
    expect(response).toMatchObject({
      ok: true,
      value: { valid: true, decisions: [], errors: ['unknown feed "no-such-feed"'] },
    });
  });

  it('reports a failing handler in one line, without a stack', async () => {
    const failing = registry({
      ...APP_API_HANDLERS,
      'policy:lint': () => {
        throw new Error('disk on fire\n    at somewhere (file.ts:1:1)');
      },
    });
    const response = await failing.invoke('policy:lint', { policyText: POLICY });
    expect(response).toEqual({
      ok: false,
      error: { code: 'internal', message: 'policy:lint failed: disk on fire' },
    });
  });

  it('refuses a result that breaks the contract', async () => {
    const broken = registry({
      ...APP_API_HANDLERS,
      'app:info': () => ({ name: 'feedgate', version: 1 }) as never,
    });
    const response = await broken.invoke('app:info', {});
    expect(response).toMatchObject({ ok: false, error: { code: 'bad-result' } });
    if (!response.ok) expect(response.error.message).toContain('version: ');
  });
});
