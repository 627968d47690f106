// The renderer's view of the workspace (docs/workspace.md): the connections, the current
// connection's draft, its review (diff, lint) and the last sync, over the AppApi client.
// Every call records its own busy flag and error, so each screen shows them where the action
// is, with what to do next.
import { AppApiError, type ChannelResult, type EventPayload } from '../../../shared/app-api';
import {
  parsePolicy,
  type AccessDiff,
  type ChangeSet,
  type LintFinding,
  type Policy,
  type PolicyDiff,
} from '../../../core/index';
import type { AppApiClient } from './app-api-client';

export type Connection = ChannelResult<'connections:list'>['connections'][number];
export type DraftState = ChannelResult<'draft:get'>;
export type DiffResult = ChannelResult<'sync:diff'>;
export type PushResult = ChannelResult<'sync:push'>;
export type MergeOutcome = ChannelResult<'sync:merge'>;
export type InstanceStatus = ChannelResult<'instance:status'>;
export type Progress = EventPayload<'sync:progress'>;
export type ConnectionTest = ChannelResult<'connections:test'>;

/** The actions whose busy state and error a screen shows. */
export type Action =
  'load' | 'add-remote' | 'remove' | 'instance' | 'pull' | 'edit' | 'diff' | 'push' | 'merge';

/** What a screen does next with each kind of failure. */
const NEXT_STEP: Partial<Record<Action, string>> = {
  'add-remote': 'Check the URL and the key, then try again; nothing was saved.',
  pull: 'Check that the server is running (Connections), then pull again.',
  edit: 'Nothing was changed.',
  push: 'The draft is as it was: check the connection, then push again.',
  instance: 'Open its Log for the reason, then try again.',
  merge: 'The draft is unchanged: pull again, then merge.',
  remove: 'The connection is kept: try again.',
};

/** A failure in one line with what to do next; never a stack. */
export function describeFailure(action: Action, error: unknown): string {
  const message =
    error instanceof AppApiError || error instanceof Error ? error.message : String(error);
  const next = NEXT_STEP[action];
  return next ? `${message}. ${next}` : message;
}

/** The core's shapes of a sync:diff result (the channel checks them loosely: records). */
export interface Review {
  diff: PolicyDiff;
  access: AccessDiff;
  findings: LintFinding[];
  serverMoved: boolean;
  baseRevision: number;
  serverRevision: number | null;
}

/** Lint findings as the core types them (the channels check them loosely: records). */
export function asFindings(lint: DiffResult['lint']): LintFinding[] {
  return lint as unknown as LintFinding[];
}

export function reviewOf(result: DiffResult): Review {
  return {
    diff: {
      changeSet: result.changeSet,
      summary: result.summary,
      entries: result.entries as PolicyDiff['entries'],
    },
    access: result.access as unknown as AccessDiff,
    findings: asFindings(result.lint),
    serverMoved: result.serverMoved,
    baseRevision: result.baseRevision,
    serverRevision: result.serverRevision,
  };
}

type Client = Pick<AppApiClient, 'invoke' | 'on'>;

export class WorkspaceStore {
  /** null until the first load; false when the host has no workspace (the sample is shown). */
  available = $state<boolean | null>(null);
  connections = $state<Connection[]>([]);
  currentId = $state<string | null>(null);
  /** The current connection's draft; null before its first pull. */
  draft = $state.raw<DraftState | null>(null);
  readonly policy: Policy | null = $derived(this.draft ? parsePolicy(this.draft.policyText) : null);
  /** Per connection: its draft's edit count (null: never pulled), instance state, last pull. */
  edits = $state<Record<string, number | null>>({});
  /** Per connection: the last `connections:test` answer (a remote server's status). */
  tests = $state<Record<string, ConnectionTest>>({});
  instances = $state<Record<string, InstanceStatus>>({});
  pulledAt = $state<Record<string, string>>({});
  log = $state<string[]>([]);
  review = $state.raw<Review | null>(null);
  progress = $state<Progress | null>(null);
  pushResult = $state.raw<PushResult | null>(null);
  conflicts = $state.raw<MergeOutcome['conflicts']>([]);
  busy = $state<Partial<Record<Action, boolean>>>({});
  errors = $state<Partial<Record<Action, string>>>({});

  readonly current: Connection | null = $derived(
    this.connections.find((c) => c.id === this.currentId) ?? null,
  );

  #client: Client;
  #unsubscribe: (() => void)[] = [];

  constructor(client: Client) {
    this.#client = client;
    this.#unsubscribe.push(
      client.on('sync:progress', (p) => {
        if (p.connectionId === this.currentId) this.progress = p;
      }),
      client.on('instance:status', (s) => {
        this.instances[s.connectionId] = { state: s.state, message: s.message };
      }),
    );
  }

  dispose(): void {
    for (const off of this.#unsubscribe) off();
  }

  /** Runs one action with its busy flag; a failure becomes that action's error (and null). */
  async #run<T>(action: Action, work: () => Promise<T>): Promise<T | null> {
    this.busy[action] = true;
    delete this.errors[action];
    try {
      return await work();
    } catch (error) {
      this.errors[action] = describeFailure(action, error);
      return null;
    } finally {
      this.busy[action] = false;
    }
  }

  /** Lists the connections and opens the default one (or the first). */
  async load(): Promise<void> {
    const listed = await this.#run('load', () => this.#client.invoke('connections:list', {}));
    // A host without a workspace refuses every workspace channel: the app shows the sample.
    this.available = listed !== null;
    if (!listed) return;
    this.connections = listed.connections;
    await Promise.all(this.connections.map((c) => this.#refreshConnection(c)));
    const chosen =
      this.connections.find((c) => c.id === this.currentId) ??
      this.connections.find((c) => c.isDefault) ??
      this.connections[0];
    if (chosen) await this.select(chosen.id);
  }

  async #refreshConnection(connection: Connection): Promise<void> {
    try {
      this.edits[connection.id] = (
        await this.#client.invoke('draft:get', { id: connection.id })
      ).cursor;
    } catch {
      this.edits[connection.id] = null; // no draft yet: never pulled
    }
    if (connection.kind === 'embedded') {
      try {
        this.instances[connection.id] = await this.#client.invoke('instance:status', {
          id: connection.id,
        });
      } catch {
        // The status stays unknown; start/stop report their own errors.
      }
    }
  }

  async select(id: string): Promise<void> {
    if (this.currentId !== id) {
      this.review = null;
      this.pushResult = null;
      this.conflicts = [];
      this.progress = null;
    }
    this.currentId = id;
    try {
      this.draft = await this.#client.invoke('draft:get', { id });
    } catch {
      this.draft = null;
    }
  }

  /** Adds a remote server, tests it and keeps it only when the test passes. */
  async addRemote(input: {
    name: string;
    url: string;
    apiKey: string;
    keyStorage: 'keychain' | 'memory';
  }): Promise<boolean> {
    const added = await this.#run('add-remote', async () => {
      const { connection } = await this.#client.invoke('connections:add-remote', input);
      const test = await this.#client.invoke('connections:test', { id: connection.id });
      if (!test.ok) {
        await this.#client.invoke('connections:remove', { id: connection.id });
        throw new Error(`the server did not answer as expected (${test.kind}): ${test.message}`);
      }
      return connection;
    });
    if (!added) return false;
    await this.load();
    await this.select(added.id);
    return true;
  }

  /** Asks the server for its revision with the stored key; the answer is the status shown. */
  async test(id: string): Promise<void> {
    try {
      this.tests[id] = await this.#client.invoke('connections:test', { id });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.tests[id] = { ok: false, kind: 'refused', message };
    }
  }

  async remove(id: string): Promise<void> {
    const removed = await this.#run('remove', () =>
      this.#client.invoke('connections:remove', { id }),
    );
    if (!removed) return;
    if (this.currentId === id) {
      this.currentId = null;
      this.draft = null;
    }
    await this.load();
  }

  async startInstance(id: string): Promise<void> {
    const status = await this.#run('instance', () => this.#client.invoke('instance:start', { id }));
    if (status) this.instances[id] = status;
    await this.readLog(id);
  }

  async stopInstance(id: string): Promise<void> {
    const status = await this.#run('instance', () => this.#client.invoke('instance:stop', { id }));
    if (status) this.instances[id] = status;
    await this.readLog(id);
  }

  async readLog(id: string): Promise<void> {
    try {
      this.log = (await this.#client.invoke('instance:log', { id })).lines;
    } catch (error) {
      this.log = [];
      this.errors.instance = describeFailure('instance', error);
    }
  }

  async pull(id: string | null = this.currentId): Promise<void> {
    if (!id) return;
    this.progress = null;
    const result = await this.#run('pull', () => this.#client.invoke('sync:pull', { id }));
    this.progress = null;
    if (!result) return;
    this.pulledAt[id] = result.pulledAt;
    await this.select(id);
    this.edits[id] = this.draft?.cursor ?? 0;
    if (this.review || this.errors.diff) await this.refreshReview();
  }

  /** One undoable edit of the current draft. */
  async edit(label: string, changeSet: ChangeSet): Promise<boolean> {
    const id = this.currentId;
    if (!id || changeSet.operations.length === 0) return false;
    return this.#setDraft(id, () => this.#client.invoke('draft:edit', { id, label, changeSet }));
  }

  async undo(): Promise<boolean> {
    const id = this.currentId;
    return id ? this.#setDraft(id, () => this.#client.invoke('draft:undo', { id })) : false;
  }

  async redo(): Promise<boolean> {
    const id = this.currentId;
    return id ? this.#setDraft(id, () => this.#client.invoke('draft:redo', { id })) : false;
  }

  async #setDraft(id: string, work: () => Promise<DraftState>): Promise<boolean> {
    const draft = await this.#run('edit', work);
    if (!draft) return false;
    this.draft = draft;
    this.edits[id] = draft.cursor;
    this.pushResult = null;
    if (this.review || this.errors.diff) await this.refreshReview();
    return true;
  }

  get canUndo(): boolean {
    return (this.draft?.cursor ?? 0) > 0;
  }

  get canRedo(): boolean {
    return this.draft !== null && this.draft.cursor < this.draft.operations;
  }

  async refreshReview(): Promise<void> {
    const id = this.currentId;
    if (!id) return;
    const result = await this.#run('diff', () => this.#client.invoke('sync:diff', { id }));
    if (result) this.review = reviewOf(result);
  }

  async push(allowLockout = false): Promise<void> {
    const id = this.currentId;
    if (!id) return;
    this.progress = null;
    const result = await this.#run('push', () =>
      this.#client.invoke('sync:push', { id, ...(allowLockout && { allowLockout }) }),
    );
    this.progress = null;
    if (!result) return;
    this.pushResult = result;
    if (result.status === 'server-moved') this.conflicts = result.merge.conflicts;
    await this.select(id);
    this.edits[id] = this.draft?.cursor ?? 0;
    await this.refreshReview();
  }

  async merge(): Promise<void> {
    const id = this.currentId;
    if (!id) return;
    const outcome = await this.#run('merge', () => this.#client.invoke('sync:merge', { id }));
    if (!outcome) return;
    this.conflicts = outcome.conflicts;
    await this.select(id);
    await this.refreshReview();
  }

  async resolve(choices: Record<string, 'ours' | 'theirs'>): Promise<void> {
    const id = this.currentId;
    if (!id) return;
    const outcome = await this.#run('merge', () =>
      this.#client.invoke('sync:resolve', { id, choices }),
    );
    if (!outcome) return;
    this.conflicts = outcome.conflicts;
    await this.select(id);
    await this.refreshReview();
  }
}
