// A connection's API keys, managed through the instance's /api/api-keys/ endpoints with the
// connection's own key: list (never a key text), create (the new key's text is in the answer,
// once: the caller shows it and drops it) and revoke. Nothing here stores or logs a key text.
import type { Connections } from './connections';
import { RemoteError, type ApiKeyInfo, type NewApiKeyInfo } from './remote-client';

export const PACKAGE_PERMISSIONS = ['view', 'add', 'promote', 'delete'] as const;
export type PackagePermission = (typeof PACKAGE_PERMISSIONS)[number];

/** What the app asks for: a system key has full control; a feed key one feed or feed group. */
export type NewKey =
  | { type: 'system'; description?: string; expiration?: string }
  | {
      type: 'feed';
      scope: { feed: string } | { feedGroup: string };
      permissions: PackagePermission[];
      description?: string;
      expiration?: string;
    }
  | { type: 'personal'; user: string; description?: string; expiration?: string };

/** A key as listed: never its text. */
export type KeyInfo = Omit<ApiKeyInfo, 'key'>;

function withoutText(info: ApiKeyInfo): KeyInfo {
  const { key: _text, ...rest } = info;
  return rest;
}

/**
 * `work` with a 403 told as what it means here: the connection's key is not an
 * administrator's (`what`: "manage API keys").
 */
export async function asAdministrator<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RemoteError && error.kind === 'access-denied')
      throw new RemoteError(
        'access-denied',
        `access denied: the connection's key may not ${what} (it needs full control, or a user with Admin_ConfigureProGet)`,
        error.status,
      );
    throw error;
  }
}

const managing = <T>(work: () => Promise<T>) => asAdministrator('manage API keys', work);

export async function listKeys(connections: Connections, id: string): Promise<KeyInfo[]> {
  const client = await connections.client(id);
  return (await managing(() => client.listApiKeys())).map(withoutText);
}

function requestOf(input: NewKey): NewApiKeyInfo {
  const common = {
    ...(input.description !== undefined &&
      input.description !== '' && {
        description: input.description,
      }),
    ...(input.expiration !== undefined && { expiration: input.expiration }),
  };
  switch (input.type) {
    case 'system':
      return { type: 'system', fullControl: true, ...common };
    case 'feed':
      return { type: 'feed', ...input.scope, packagePermissions: input.permissions, ...common };
    case 'personal':
      return { type: 'personal', user: input.user, ...common };
  }
}

/** Creates a key; `text` is the key itself, in this answer only. */
export async function createKey(
  connections: Connections,
  id: string,
  input: NewKey,
): Promise<{ info: KeyInfo; text: string }> {
  const client = await connections.client(id);
  const created = await managing(() => client.createApiKey(requestOf(input)));
  return { info: withoutText(created), text: created.key };
}

/** Revokes a key; `revoked` is false when it was unknown or already revoked. */
export async function revokeKey(
  connections: Connections,
  id: string,
  keyId: number,
): Promise<{ id: number; revoked: boolean }> {
  const client = await connections.client(id);
  return managing(() => client.deleteApiKey(keyId));
}

/** What a person called a key (its description, else its display name), if anything. */
export function keyDescription(
  info: Pick<ApiKeyInfo, 'description' | 'displayName'>,
): string | undefined {
  return info.description || info.displayName || undefined;
}
