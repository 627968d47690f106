// The check answer's JSON text, written by hand for speed, is exactly JSON.stringify of the
// answer: unit-wise over generated decisions, and over real HTTP on 127.0.0.1 against a real
// instance holding a generated policy (every answer compared with the engine's own decision).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePolicy, rng } from '../../../../test/bench/generate';
import { jsonPost, startTestInstance, type TestInstance } from '../../../../test/helpers/server';
import { ATTRIBUTE_IDS, compile, type Policy, type Query } from '../../../core/index';
import { createApiKey } from '../../auth/api-keys';
import { writePolicy } from '../../store/index';
import { checkAnswerJson } from './v1';

const policy = generatePolicy({ users: 40, groups: 12, feeds: 12, grants: 300 }, 7);

function queries(from: Policy, count: number): Query[] {
  const random = rng(3);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const users = [...from.users.map((u) => u.name), 'Anonymous'];
  return Array.from({ length: count }, () => {
    const user = pick(users);
    const query: Query = { user, attribute: pick(ATTRIBUTE_IDS) };
    if (random() < 0.85) query.feed = pick(from.feeds).name;
    if (random() < 0.2) query.owner = user;
    return query;
  });
}

const compiled = compile(policy);
const expected = (query: Query, revision: number, ldapGroups?: string[]) => {
  const { allowed, decidedBy, trace } = compiled.explain(query);
  return JSON.stringify({ allowed, decidedBy, trace, revision, ldapGroups });
};

describe('checkAnswerJson', () => {
  it('writes what JSON.stringify writes, with and without LDAP groups', () => {
    const all = queries(policy, 2000);
    expect(all.some((q) => compiled.explain(q).trace.length > 2)).toBe(true);
    for (const [i, query] of all.entries()) {
      const groups = i % 5 === 0 ? ['Dev "ops"', 'naïve\\team'] : undefined;
      expect(checkAnswerJson(compiled.explain(query), 12, groups)).toBe(
        expected(query, 12, groups),
      );
    }
  });
});

describe('POST /api/feedgate/v1/check over HTTP', () => {
  let server: TestInstance;
  let auth: Record<string, string>;
  let revision: number;
  beforeAll(async () => {
    server = await startTestInstance();
    revision = writePolicy(server.db, policy);
    auth = { 'X-ApiKey': createApiKey(server.db, { type: 'system', fullControl: true }).key };
  });
  afterAll(() => server.close());

  it('answers each query with the engine decision and trace as JSON', async () => {
    for (const query of queries(policy, 60)) {
      const r = await server.request('/api/feedgate/v1/check', jsonPost(query, auth));
      expect(r.status, r.text).toBe(200);
      expect(r.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(r.text, JSON.stringify(query)).toBe(expected(query, revision));
    }
  });
});
