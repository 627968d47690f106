// The journeys' view of the embedded instance from outside the app: its own HTTP API, signed
// in as Admin with the password the app showed once. What another admin or a script would do
// to the server meanwhile (seed feeds and people, change an item), and the check endpoint
// that says what the server now decides.
import type { ChangeSet } from '../../src/core/index';
import { RemoteClient } from '../../src/workspace/remote-client';
import type { ConnectionsPage } from './pages/connections-page';

export interface Decision {
  allowed: boolean;
  decidedBy: { group?: string; user?: string; task: string; feed?: string; deny: boolean } | null;
}

export class InstanceHttp {
  readonly client: RemoteClient;

  constructor(
    readonly url: string,
    private readonly adminPassword: string,
  ) {
    this.client = new RemoteClient({ url, auth: 'api-key', apiKey: `Admin:${adminPassword}` });
  }

  /** Applies a change set on top of the server's current revision; returns the new one. */
  async change(changeSet: ChangeSet): Promise<number> {
    const { revision } = await this.client.getSnapshot();
    return (await this.client.postChanges(changeSet, revision)).revision;
  }

  async revision(): Promise<number> {
    return (await this.client.getSnapshot()).revision;
  }

  /** POST /api/feedgate/v1/check: may `user` do `attribute` (at `feed`)? */
  async check(user: string, attribute: string, feed?: string): Promise<Decision> {
    const response = await fetch(`${this.url}/api/feedgate/v1/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-ApiKey': `Admin:${this.adminPassword}` },
      body: JSON.stringify({ user, attribute, ...(feed !== undefined && { feed }) }),
    });
    if (!response.ok)
      throw new Error(`check answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Decision;
  }
}

/**
 * What the worked example needs on the server before the admin drafts it: the feeds, the
 * group Developers with alice, and bob outside it.
 */
export const PROMOTE_EXAMPLE_SEED: ChangeSet = {
  operations: [
    { op: 'add', kind: 'feed', item: { name: 'Production', feedType: 'nuget' } },
    { op: 'add', kind: 'feed', item: { name: 'Staging', feedType: 'nuget' } },
    { op: 'add', kind: 'group', item: { name: 'Developers' } },
    { op: 'add', kind: 'user', item: { name: 'alice', groups: ['Developers'] } },
    { op: 'add', kind: 'user', item: { name: 'bob' } },
  ],
};

/**
 * The embedded default the app made at launch, seen from outside: its URL from its row and
 * the Admin password the app shows once (then marked saved, as an admin would).
 */
export async function embeddedDefaultOverHttp(connections: ConnectionsPage): Promise<InstanceHttp> {
  const password = await connections.readAdminPassword();
  const url = ((await connections.url(connections.row('Local')).textContent()) ?? '').trim();
  await connections.passwordSaved();
  return new InstanceHttp(url, password);
}
