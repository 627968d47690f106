// The API keys and audit channels on a FakeWorkspace, for the screens' jsdom tests: keys in
// memory (a create answers a fresh key text once and writes an audit entry, as the instance
// does), and an audit log paged newest first by `before`. The real back end is covered by
// src/workspace/api-keys.test.ts, audit.test.ts and the Chromium journey.
import type { ChannelResult } from '../../../shared/app-api';
import type { FakeWorkspace } from './fake-workspace';

type Key = ChannelResult<'apikeys:list'>['keys'][number];
type Entry = ChannelResult<'audit:list'>['entries'][number];

export interface FakeKeys {
  keys: Key[];
  entries: Entry[];
  /** Every key text handed out, to search the page for afterwards. */
  texts: string[];
}

const AT = '2026-11-23T10:00:00.000Z';

/** `olderEntries` audit entries (policy changes) before anything the test does. */
export function installFakeKeys(fake: FakeWorkspace, olderEntries = 0): FakeKeys {
  const state: FakeKeys = {
    keys: [
      {
        id: 1,
        type: 'system',
        description: 'feedgate desktop',
        fullControl: true,
        permissions: [],
        createdAt: AT,
        createdBy: 'Built-in/Admin',
        lastUsed: AT,
      },
    ],
    entries: Array.from({ length: olderEntries }, (_, i) => ({
      id: i + 1,
      time: AT,
      actor: 'Built-in/Admin',
      keyId: i % 2 === 0 ? 1 : null,
      ...(i % 2 === 0 && { keyDescription: 'feedgate desktop' }),
      action: 'policy.change',
      summary: `revision ${i + 1} → ${i + 2}: 1 change (add user user${i + 1})`,
    })),
    texts: [],
  };
  const audit = (action: string, summary: string) =>
    state.entries.push({
      id: state.entries.length + 1,
      time: AT,
      actor: 'key 1 (system)',
      keyId: 1,
      keyDescription: 'feedgate desktop',
      action,
      summary,
    });

  fake.answer('apikeys:list', () => ({ keys: state.keys }));
  fake.answer('apikeys:create', (args) => {
    const { id: _connection, ...input } = args as Record<string, unknown> & {
      type: Key['type'];
      permissions?: string[];
    };
    const key: Key = {
      ...(input as Partial<Key>),
      id: state.keys.length + 1,
      type: input.type,
      ...(input.type === 'system' && { fullControl: true }),
      permissions: input.permissions ?? [],
      createdAt: AT,
      createdBy: 'key 1 (system)',
    };
    const text = `fgk_fake-${key.id}-${'x'.repeat(32)}`;
    state.keys.push(key);
    state.texts.push(text);
    audit('api-keys.create', `created ${key.type} key ${key.id}`);
    return { key, keyText: text };
  });
  fake.answer('apikeys:revoke', (args) => {
    const key = state.keys.find((k) => k.id === args.keyId);
    if (!key || key.revoked) return { keyId: args.keyId as number, revoked: false };
    key.revoked = AT;
    audit('api-keys.revoke', `revoked key ${key.id}`);
    return { keyId: key.id, revoked: true };
  });
  fake.answer('audit:list', (args) => {
    const before = (args.before as number | undefined) ?? Infinity;
    const limit = (args.limit as number | undefined) ?? 100;
    const page = state.entries
      .filter((e) => e.id < before)
      .reverse()
      .slice(0, limit);
    return { entries: page, next: page.length === limit ? (page.at(-1)?.id ?? null) : null };
  });
  return state;
}
