// The Directory screen's state over the AppApi: one connection's directories, the last test
// of each kind per directory, and the last switch. Each action keeps its own busy flag and
// error, shown where its button is. A bind password passes through `save` and is not kept.
import type { ChannelArgs, ChannelResult } from '../../../shared/app-api';
import { ConnectionStore, type Client } from './connection-store.svelte';

export type Directory = ChannelResult<'directories:list'>['directories'][number];
export type LdapSettings = ChannelArgs<'directories:save'>['settings'];
export type DirectoryTest = ChannelResult<'directories:test'>;
export type SwitchResult = ChannelResult<'directories:switch'>;

export type DirectoryAction = 'load' | 'save' | 'test' | 'sign-in' | 'switch' | 'remove';

const NEXT_STEP: Partial<Record<DirectoryAction, string>> = {
  load: 'Check that the connection works (Connections), then refresh.',
  save: 'Nothing was saved: correct the setting named and save again.',
  test: 'Check the connection (Connections), then test again.',
  'sign-in': 'Check the connection (Connections), then test again.',
  switch: 'The active directory did not change.',
  remove: 'Nothing was removed.',
};

export class DirectoryStore extends ConnectionStore<DirectoryAction> {
  directories = $state<Directory[]>([]);
  /** Per directory name: the last "test connection" and "test sign-in" answers. */
  connectionTests = $state<Record<string, DirectoryTest>>({});
  signInTests = $state<Record<string, DirectoryTest>>({});
  /** The last switch: done, or refused for a lockout (then confirmation is needed). */
  switchResult = $state<SwitchResult | null>(null);

  readonly active: Directory | null = $derived(this.directories.find((d) => d.active) ?? null);

  constructor(client: Client) {
    super(client, NEXT_STEP);
  }

  /** Loads `connectionId`'s directories (a different connection starts afresh). */
  async load(connectionId: string | null = this.connectionId): Promise<void> {
    if (this.bind(connectionId)) {
      this.directories = [];
      this.connectionTests = {};
      this.signInTests = {};
      this.switchResult = null;
    }
    const result = await this.run('load', (id) => this.client.invoke('directories:list', { id }));
    if (result) {
      this.directories = result.directories;
      this.loaded = true;
    }
  }

  /** Adds or edits an LDAP directory; true when saved. */
  async save(name: string, settings: LdapSettings, bindPassword?: string): Promise<boolean> {
    const result = await this.run('save', (id) =>
      this.client.invoke('directories:save', {
        id,
        name,
        settings,
        ...(bindPassword ? { bindPassword } : {}),
      }),
    );
    if (!result) return false;
    // Earlier tests were of other settings.
    delete this.connectionTests[name];
    delete this.signInTests[name];
    await this.load();
    return true;
  }

  async testConnection(name: string): Promise<void> {
    delete this.connectionTests[name];
    const result = await this.run('test', (id) =>
      this.client.invoke('directories:test', { id, name }),
    );
    if (result) this.connectionTests[name] = result;
  }

  async testSignIn(name: string, user: string, password: string): Promise<void> {
    delete this.signInTests[name];
    const result = await this.run('sign-in', (id) =>
      this.client.invoke('directories:test', { id, name, signInAs: { user, password } }),
    );
    if (result) this.signInTests[name] = result;
  }

  async switchTo(name: string, allowLockout = false): Promise<void> {
    this.switchResult = null;
    const result = await this.run('switch', (id) =>
      this.client.invoke('directories:switch', { id, name, allowLockout }),
    );
    this.switchResult = result;
    if (result?.status === 'switched') await this.load();
  }

  async remove(name: string): Promise<boolean> {
    const result = await this.run('remove', (id) =>
      this.client.invoke('directories:remove', { id, name }),
    );
    if (!result) return false;
    await this.load();
    return true;
  }
}
