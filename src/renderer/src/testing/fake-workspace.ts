// A stand-in for the workspace back end in jsdom tests of the renderer's store and screens:
// an AppApi transport that checks arguments against the real contract, keeps one draft per
// connection and applies edits with the real engine. Each test scripts what it needs on top
// (a refused call, a push outcome) through `answer`. The real back end is covered by
// src/workspace and src/host/browser-e2e.test.ts.
import {
  accessDiff,
  applyChangeSet,
  diffPolicies,
  lintPolicy,
  parsePolicy,
  type Policy,
} from '../../../core/index';
import {
  APP_API,
  describeIssues,
  type ChannelName,
  type ChannelResult,
  type EventName,
} from '../../../shared/app-api';
import { createAppApiClient, type AppApiTransport } from '../lib/app-api-client';
import type { Connection } from '../lib/workspace.svelte';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';

interface FakeDraft {
  base: Policy;
  revision: number;
  /** Every state of the draft; the cursor points at the current one. */
  states: Policy[];
  cursor: number;
}

type Handler = (args: Record<string, unknown>) => unknown;

export class FakeWorkspace {
  connections: Connection[] = [];
  drafts = new Map<string, FakeDraft>();
  /** Every call, in order, with its validated arguments. */
  calls: { channel: ChannelName; args: Record<string, unknown> }[] = [];
  /** Channels answered by the test instead of the fake (a throw becomes `refused`). */
  overrides = new Map<ChannelName, Handler>();
  #listeners = new Map<string, Set<(payload: unknown) => void>>();

  readonly client = createAppApiClient(this.transport(), 'browser');

  addConnection(connection: Partial<Connection> & { id: string }): Connection {
    const full: Connection = {
      name: connection.id,
      kind: 'remote',
      url: 'https://proget.example.com',
      autostart: false,
      isDefault: this.connections.length === 0,
      createdAt: '2026-11-23T10:00:00.000Z',
      keyStorage: 'keychain',
      ...connection,
    };
    this.connections.push(full);
    return full;
  }

  answer<C extends ChannelName>(
    channel: C,
    handler: (args: Record<string, unknown>) => ChannelResult<C>,
  ): void {
    this.overrides.set(channel, handler);
  }

  emit(event: EventName, payload: unknown): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(payload);
  }

  callsTo(channel: ChannelName): Record<string, unknown>[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.args);
  }

  #draftResult(d: FakeDraft): ChannelResult<'draft:get'> {
    return {
      baseRevision: d.revision,
      cursor: d.cursor,
      operations: d.states.length - 1,
      updatedAt: '2026-11-23T10:00:00.000Z',
      policyText: JSON.stringify(d.states[d.cursor]),
    };
  }

  #draft(id: string): FakeDraft {
    const d = this.drafts.get(id);
    if (!d) throw new Error('no draft yet: pull first');
    return d;
  }

  #handle(channel: ChannelName, args: Record<string, unknown>): unknown {
    const id = args.id as string;
    switch (channel) {
      case 'connections:list':
        return { connections: this.connections };
      case 'connections:remove': {
        const connection = this.connections.find((c) => c.id === id);
        if (!connection) throw new Error(`unknown connection ${id}`);
        this.connections = this.connections.filter((c) => c !== connection);
        return { connection };
      }
      case 'connections:add-remote':
        return {
          connection: this.addConnection({
            id: `c${this.connections.length + 1}`,
            name: args.name as string,
            url: args.url as string,
          }),
        };
      case 'connections:test':
        return { ok: true, revision: 1 };
      case 'instance:status':
        return { state: 'stopped' };
      case 'instance:log':
        return { lines: [] };
      case 'sync:pull': {
        if (!this.drafts.has(id)) {
          const base = parsePolicy(SAMPLE_POLICY_TEXT);
          this.drafts.set(id, { base, revision: 1, states: [base], cursor: 0 });
        }
        return {
          revision: 1,
          pulledAt: '2026-11-23T10:00:00.000Z',
          baseRevision: 1,
          serverMoved: false,
        };
      }
      case 'draft:get':
        return this.#draftResult(this.#draft(id));
      case 'draft:edit': {
        const d = this.#draft(id);
        const next = applyChangeSet(d.states[d.cursor]!, args.changeSet as never);
        d.states = [...d.states.slice(0, d.cursor + 1), next];
        d.cursor++;
        return this.#draftResult(d);
      }
      case 'draft:undo':
      case 'draft:redo': {
        const d = this.#draft(id);
        const step = channel === 'draft:undo' ? -1 : 1;
        if (d.states[d.cursor + step] === undefined)
          throw new Error(`nothing to ${channel.slice(6)}`);
        d.cursor += step;
        return this.#draftResult(d);
      }
      case 'sync:diff': {
        const d = this.#draft(id);
        const policy = d.states[d.cursor]!;
        const diff = diffPolicies(d.base, policy);
        return {
          baseRevision: d.revision,
          serverRevision: d.revision,
          serverMoved: false,
          summary: diff.summary,
          entries: diff.entries,
          access: accessDiff(d.base, policy),
          lint: lintPolicy(policy),
          changeSet: diff.changeSet,
        };
      }
      default:
        throw new Error(`the fake workspace does not do ${channel}`);
    }
  }

  transport(): AppApiTransport {
    return {
      invoke: async (channel, rawArgs) => {
        const parsed = APP_API[channel].args.safeParse(rawArgs);
        if (!parsed.success) {
          return {
            ok: false,
            error: { code: 'bad-arguments', message: describeIssues(parsed.error) },
          };
        }
        const args = parsed.data as Record<string, unknown>;
        this.calls.push({ channel, args });
        try {
          const handler = this.overrides.get(channel);
          const value = handler ? handler(args) : this.#handle(channel, args);
          // A JSON round trip, as over the wire.
          return { ok: true, value: JSON.parse(JSON.stringify(value)) };
        } catch (error) {
          return {
            ok: false,
            error: {
              code: 'refused',
              message: error instanceof Error ? error.message : String(error),
            },
          };
        }
      },
      on: (event, listener) => {
        let set = this.#listeners.get(event);
        if (!set) this.#listeners.set(event, (set = new Set()));
        set.add(listener);
        return () => set.delete(listener);
      },
    };
  }
}
