// The effective-access matrix channels through the real registry (results checked against
// their schemas) with the real engine: windows of users and groups at the edges of the matrix,
// a principal filter, why a cell is what it is, unknown names answered as errors, refusals in
// one line, and an L policy (20,000 users, 1,000 feeds, 50,000 grants) answered window after
// window from one compile, counted through the handlers' injected compile.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareAccess } from '../../core/access-search';
import type { Policy } from '../../core/index';
import { generatePolicyFile, SIZES } from '../../../test/bench/generate';
import { createAccessHandlers } from './access-handlers';
import { createEventHub } from './events';
import { APP_API_HANDLERS } from './handlers';
import { createRegistry } from './registry';

/** The promote example with dave, whom no grant names. */
const POLICY = (() => {
  const file = JSON.parse(
    readFileSync(new URL('../../../test/fixtures/promote-example.json', import.meta.url), 'utf8'),
  ) as { users: object[] };
  file.users.push({ name: 'dave' });
  return JSON.stringify(file);
})();

/** The real registry and handlers, the Access handlers compiling through a counter. */
function countingRegistry() {
  const compiled: Policy[] = [];
  const handlers = {
    ...APP_API_HANDLERS,
    ...createAccessHandlers({
      prepare: (policy) => {
        compiled.push(policy);
        return prepareAccess(policy);
      },
    }),
  };
  const api = createRegistry(handlers, {
    context: { host: 'browser', events: createEventHub() },
    validateResults: true,
  });
  return { api, compiled };
}

type Window = {
  errors: string[];
  totalPrincipals: number;
  totalFeeds: number;
  principals: string[];
  feeds: string[];
  cells: string[][];
};

async function window(
  api: ReturnType<typeof countingRegistry>['api'],
  question: Record<string, unknown>,
  policyText = POLICY,
): Promise<Window> {
  const response = await api.invoke('access:matrix', {
    source: { policyText },
    mode: 'users',
    subject: { attribute: 'Feeds_AddPackage' },
    rows: { offset: 0, limit: 50 },
    feeds: { offset: 0, limit: 20 },
    ...question,
  });
  if (!response.ok) throw new Error(response.error.message);
  return response.value as Window;
}

describe('access:matrix', () => {
  it('answers a window of users × feeds, a state per cell', async () => {
    const { api } = countingRegistry();
    expect(await window(api, {})).toEqual({
      errors: [],
      totalPrincipals: 4,
      totalFeeds: 3,
      principals: ['alice', 'bob', 'carol', 'dave'],
      feeds: ['Production', 'Staging', 'public-npm'],
      cells: [
        ['deny', 'allow', 'allow'],
        ['allow', 'allow', 'allow'],
        ['allow', 'allow', 'allow'],
        ['none', 'none', 'none'],
      ],
    });
    // Reading a public feed is the feed's access type's doing.
    const view = await window(api, { subject: { attribute: 'Feeds_ViewFeed' } });
    expect(view.cells[3]).toEqual(['none', 'none', 'implicit']);
    const groups = await window(api, { mode: 'groups', subject: { task: 'Manage Feed' } });
    expect(groups.principals).toEqual(['Developers', 'Administrators']);
    // Promote Packages gives some of Manage Feed's attributes, and is restricted on Production.
    expect(groups.cells).toEqual([
      ['deny', 'partial', 'partial'],
      ['allow', 'allow', 'allow'],
    ]);
  });

  it('answers the edges: a window cut at the end, past the end, one cell, a filter', async () => {
    const { api } = countingRegistry();
    const corner = await window(api, {
      rows: { offset: 3, limit: 50 },
      feeds: { offset: 2, limit: 20 },
    });
    expect(corner).toMatchObject({ principals: ['dave'], feeds: ['public-npm'] });
    expect(corner.cells).toEqual([['none']]);

    const past = await window(api, {
      rows: { offset: 4, limit: 10 },
      feeds: { offset: 99, limit: 10 },
    });
    expect(past).toEqual({
      errors: [],
      totalPrincipals: 4,
      totalFeeds: 3,
      principals: [],
      feeds: [],
      cells: [],
    });

    const one = await window(api, {
      rows: { offset: 1, limit: 1 },
      feeds: { offset: 0, limit: 1 },
    });
    expect(one).toMatchObject({ principals: ['bob'], feeds: ['Production'], cells: [['allow']] });

    const filtered = await window(api, { filter: ' AL ' });
    expect(filtered).toMatchObject({ totalPrincipals: 1, principals: ['alice'] });
    const nobody = await window(api, { filter: 'zz' });
    expect(nobody).toMatchObject({ totalPrincipals: 0, principals: [], cells: [] });
    // The columns stay named when no row is left.
    expect(nobody.feeds).toEqual(['Production', 'Staging', 'public-npm']);
  });

  it('names an unknown attribute or task instead of answering', async () => {
    const { api } = countingRegistry();
    expect(await window(api, { subject: { task: 'Juggle' } })).toEqual({
      errors: ['unknown task "Juggle"'],
      totalPrincipals: 4,
      totalFeeds: 3,
      principals: [],
      feeds: [],
      cells: [],
    });
    expect((await window(api, { subject: { attribute: 'Feeds_Fly' } })).errors).toEqual([
      'unknown attribute "Feeds_Fly"',
    ]);
  });

  it('refuses an invalid policy text and a draft without a workspace, in one line', async () => {
    const { api } = countingRegistry();
    const invalid = await api.invoke('access:matrix', {
      source: { policyText: '{"users": 3}' },
      mode: 'users',
      subject: { attribute: 'Feeds_AddPackage' },
      rows: { offset: 0, limit: 1 },
      feeds: { offset: 0, limit: 1 },
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(!invalid.ok && invalid.error.message).toBe(
      'access:matrix refused: invalid policy: users: Invalid input: expected array, received number',
    );
    expect(!invalid.ok && invalid.error.message).not.toContain('\n');
    const draft = await api.invoke('access:matrix-why', {
      source: { id: 'c1' },
      mode: 'users',
      subject: { attribute: 'Feeds_AddPackage' },
      principal: 'alice',
      feed: 'Production',
    });
    expect(draft).toEqual({
      ok: false,
      error: {
        code: 'refused',
        message: 'access:matrix-why refused: no workspace is open in this host',
      },
    });
  });
});

describe('access:matrix-why', () => {
  const why = (question: Record<string, unknown>) =>
    countingRegistry().api.invoke('access:matrix-why', {
      source: { policyText: POLICY },
      mode: 'users',
      subject: { attribute: 'Feeds_AddPackage' },
      principal: 'alice',
      feed: 'Production',
      ...question,
    });

  it('gives the deciding grant and the grants it beat', async () => {
    const answer = await why({});
    expect(answer).toMatchObject({
      ok: true,
      value: {
        errors: [],
        state: 'deny',
        decisions: [
          {
            attribute: 'Feeds_AddPackage',
            decision: {
              allowed: false,
              decidedBy: { group: 'Developers', feed: 'Production', deny: true },
              trace: [
                { decided: true, grant: { index: 2, deny: true } },
                { decided: false, grant: { index: 1, deny: false } },
              ],
            },
          },
        ],
      },
    });
  });

  it('explains a group through a member of it alone, one decision per attribute of a task', async () => {
    const answer = await why({
      mode: 'groups',
      principal: 'Developers',
      feed: 'Staging',
      subject: { task: 'Manage Feed' },
    });
    const value = (
      answer as { value: { state: string; decisions: { decision: { allowed: boolean } }[] } }
    ).value;
    expect(value.state).toBe('partial');
    expect(value.decisions.length).toBeGreaterThan(1);
    expect(value.decisions.some((d) => d.decision.allowed)).toBe(true);
    expect(value.decisions.some((d) => !d.decision.allowed)).toBe(true);
  });

  it('names an unknown principal, feed or task', async () => {
    expect(await why({ principal: 'mallory', feed: 'Nowhere' })).toEqual({
      ok: true,
      value: {
        errors: ['unknown user "mallory"', 'unknown feed "Nowhere"'],
        state: null,
        decisions: [],
      },
    });
    // A user is not a group row.
    expect(await why({ mode: 'groups', principal: 'alice' })).toMatchObject({
      value: { errors: ['unknown group "alice"'] },
    });
    expect(await why({ subject: { task: 'Juggle' } })).toMatchObject({
      value: { errors: ['unknown task "Juggle"'] },
    });
  });
});

describe('an L policy', () => {
  it(
    'is compiled once for every window and why asked of it, again once it changes',
    { timeout: 120_000 },
    async () => {
      const file = generatePolicyFile(SIZES.L);
      const text = JSON.stringify(file);
      const { api, compiled } = countingRegistry();

      const first = await window(
        api,
        { rows: { offset: 0, limit: 200 }, feeds: { offset: 0, limit: 100 } },
        text,
      );
      expect(first).toMatchObject({ errors: [], totalPrincipals: 20_000, totalFeeds: 1_000 });
      expect(first.cells).toHaveLength(200);
      expect(first.cells.every((row) => row.length === 100)).toBe(true);
      // The last window: cut at both ends of the matrix.
      const last = await window(
        api,
        { rows: { offset: 19_990, limit: 200 }, feeds: { offset: 950, limit: 100 } },
        text,
      );
      expect(last.principals).toHaveLength(10);
      expect(last.principals.at(-1)).toBe('user-19999');
      expect(last.feeds).toHaveLength(50);
      const groups = await window(
        api,
        { mode: 'groups', subject: { task: 'Publish Packages' }, filter: 'group-99' },
        text,
      );
      expect(groups.totalPrincipals).toBeGreaterThan(0);
      expect(groups.principals.every((g) => g.includes('group-99'))).toBe(true);
      const states = new Set(first.cells.flat());
      expect(states.size).toBeGreaterThan(1);
      const explained = await api.invoke('access:matrix-why', {
        source: { policyText: text },
        mode: 'users',
        subject: { attribute: 'Feeds_AddPackage' },
        principal: first.principals[0],
        feed: first.feeds[0],
      });
      expect(explained).toMatchObject({ ok: true, value: { state: first.cells[0]?.[0] } });
      expect(compiled).toHaveLength(1);

      // An edit (one more user) is a new policy: compiled once more, and seen.
      (file.users as unknown[]).push({ name: 'newcomer' });
      const edited = JSON.stringify(file);
      expect((await window(api, {}, edited)).totalPrincipals).toBe(20_001);
      await window(api, { rows: { offset: 100, limit: 100 } }, edited);
      expect(compiled).toHaveLength(2);
    },
  );
});
