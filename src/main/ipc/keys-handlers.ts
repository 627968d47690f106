// The AppApi handlers of a connection's API keys and audit log (src/shared/app-api-keys.ts),
// over src/workspace/api-keys.ts and audit.ts. Results are built field by field; the new
// key's text goes into the one result made for it and is neither logged nor kept here.
import type { ChannelName, ValidArgs } from '../../shared/app-api';
import {
  createKey,
  listKeys,
  revokeKey,
  type KeyInfo,
  type NewKey,
} from '../../workspace/api-keys';
import { readAudit } from '../../workspace/audit';
import type { AppApiHandlers } from './registry';
import { refusing, workspaceOf } from './workspace-handlers';

type KeysChannel = Extract<ChannelName, `apikeys:${string}` | 'audit:list'>;

const keyResult = (k: KeyInfo) => ({
  id: k.id,
  type: k.type,
  ...(k.description !== undefined || k.displayName !== undefined
    ? { description: (k.description || k.displayName) as string }
    : {}),
  ...(k.fullControl !== undefined && { fullControl: k.fullControl }),
  ...(k.feed !== undefined && { feed: k.feed }),
  ...(k.feedGroup !== undefined && { feedGroup: k.feedGroup }),
  ...(k.user !== undefined && { user: k.user }),
  permissions: [...(k.packagePermissions ?? [])],
  ...(k.createdAt !== undefined && { createdAt: k.createdAt }),
  ...(k.createdBy !== undefined && { createdBy: k.createdBy }),
  ...(k.expiration !== undefined && { expiration: k.expiration }),
  ...(k.lastUsed !== undefined && { lastUsed: k.lastUsed }),
  ...(k.revoked !== undefined && { revoked: k.revoked }),
});

/** The channel's flat arguments as the workspace's request (the schema checked the rules). */
function newKeyOf(args: ValidArgs<'apikeys:create'>): NewKey {
  const common = {
    ...(args.description !== undefined && { description: args.description }),
    ...(args.expiration !== undefined && { expiration: args.expiration }),
  };
  if (args.type === 'feed')
    return {
      type: 'feed',
      scope: args.feed !== undefined ? { feed: args.feed } : { feedGroup: args.feedGroup ?? '' },
      permissions: args.permissions ?? [],
      ...common,
    };
  if (args.type === 'personal') return { type: 'personal', user: args.user ?? '', ...common };
  return { type: 'system', ...common };
}

export const KEYS_HANDLERS: Pick<AppApiHandlers, KeysChannel> = refusing({
  'apikeys:list': async ({ id }, context) => ({
    keys: (await listKeys(workspaceOf(context).connections, id)).map(keyResult),
  }),

  'apikeys:create': async (args, context) => {
    const created = await createKey(workspaceOf(context).connections, args.id, newKeyOf(args));
    return { key: keyResult(created.info), keyText: created.text };
  },

  'apikeys:revoke': async ({ id, keyId }, context) => {
    const result = await revokeKey(workspaceOf(context).connections, id, keyId);
    return { keyId: result.id, revoked: result.revoked };
  },

  'audit:list': async ({ id, limit, before }, context) => {
    const page = await readAudit(workspaceOf(context).connections, id, {
      ...(limit !== undefined && { limit }),
      ...(before !== undefined && { before }),
    });
    return { entries: page.entries.map((entry) => ({ ...entry })), next: page.next };
  },
});
