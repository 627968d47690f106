// Rules about grants: duplicate-grant, conflicting-grant, shadowed-grant and
// grant-to-empty-group.
import { isFeedScopedAttribute, VIRTUAL_GROUPS } from '../catalog';
import type { Grant, Permission, Query } from '../model';
import { describeGrant } from '../policy-index';
import {
  describePermission,
  grantKey,
  listSome,
  permissionItem,
  principalPhrase,
  principalUsers,
  scopePhrase,
  type LintContext,
} from './context';
import type { LintFinding, LintItem } from './types';

/** duplicate-grant and conflicting-grant: grants sharing principal, task and scope. */
export function sameGrantFindings(ctx: LintContext): LintFinding[] {
  const byKey = new Map<string, number[]>();
  ctx.policy.permissions.forEach((p, i) => {
    const key = grantKey(p);
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  });
  const findings: LintFinding[] = [];
  const { permissions } = ctx.policy;
  for (const indexes of byKey.values()) {
    if (indexes.length < 2) continue;
    const first = permissions[indexes[0] as number] as Permission;
    for (const deny of [true, false]) {
      const same = indexes.filter((i) => (permissions[i] as Permission).deny === deny);
      if (same.length < 2) continue;
      findings.push({
        id: 'duplicate-grant',
        severity: 'warning',
        message: `The same ${deny ? 'restriction' : 'permission'} (${principalPhrase(first)} · ${first.task} · ${scopePhrase(first)}) appears ${same.length} times (${listSome(same.map((i) => `permissions[${i}]`))}): only the first can ever decide. Remove the copies.`,
        items: same.map((i) => permissionItem(permissions[i] as Permission, i)),
      });
    }
    const denies = indexes.filter((i) => (permissions[i] as Permission).deny);
    if (denies.length > 0 && denies.length < indexes.length) {
      findings.push({
        id: 'conflicting-grant',
        severity: 'info',
        message: `${principalPhrase(first)} has both a permission and a restriction for task ${first.task} at ${scopePhrase(first)} (${listSome(indexes.map((i) => `permissions[${i}]`))}): the restriction always wins, so the permission has no effect. Remove whichever one you do not mean.`,
        items: indexes.map((i) => permissionItem(permissions[i] as Permission, i)),
      });
    }
  }
  return findings;
}

const SHADOWER_LIMIT = 20;

/**
 * shadowed-grant: grants that never decide any query. Each grant is checked with the compiled
 * evaluator over its principal's users, its task's attributes and its scopes, stopping at the
 * first query it decides, so only shadowed grants cost a full sweep.
 *
 * A global grant needs system scope only: whatever beats it there (an earlier own global grant,
 * or a group global grant sorted first) comes before it at every feed too, and at system scope
 * it always applies, so if it never decides there it never decides anywhere.
 */
export function shadowedGrantFindings(ctx: LintContext): LintFinding[] {
  const { policy, index, compiled } = ctx;
  const feedsOfGroup = new Map<string, string[]>();
  for (const f of policy.feeds) {
    if (f.feedGroup === undefined) continue;
    const list = feedsOfGroup.get(f.feedGroup);
    if (list) list.push(f.name);
    else feedsOfGroup.set(f.feedGroup, [f.name]);
  }
  const groupIndex = new Map(policy.groups.map((g, gi) => [g.name, gi]));
  const findings: LintFinding[] = [];
  const query: Query = { user: '', attribute: '' };
  const GLOBAL: readonly (string | undefined)[] = [undefined];

  policy.permissions.forEach((p, i) => {
    const met = index.taskMeets.get(p.task);
    if (!met || met.size === 0) return; // empty-task reports it
    const item = permissionItem(p, i);
    const users = principalUsers(ctx, p);
    if (users.length === 0 && p.group !== undefined && !VIRTUAL_GROUPS.has(p.group)) {
      findings.push({
        id: 'grant-to-empty-group',
        severity: 'info',
        message: `${describePermission(p, i)} can never decide anything: group ${p.group} has no members, directly or through nested groups. Add members to the group, or remove the grant.`,
        items: [
          item,
          { kind: 'group', name: p.group, path: `groups[${groupIndex.get(p.group) ?? -1}]` },
        ],
      });
      return;
    }
    const scoped = p.feed !== undefined || p.feedGroup !== undefined;
    const feeds: readonly (string | undefined)[] =
      p.feed !== undefined
        ? [p.feed]
        : p.feedGroup !== undefined
          ? (feedsOfGroup.get(p.feedGroup) ?? [])
          : GLOBAL;
    if (p.feedGroup !== undefined && feeds.length === 0) {
      findings.push({
        id: 'shadowed-grant',
        severity: 'info',
        message: `${describePermission(p, i)} can never decide anything: feed group ${p.feedGroup} has no feeds. Add feeds to the feed group, or remove the grant.`,
        items: [item, { kind: 'feedGroup', name: p.feedGroup }],
      });
      return;
    }
    const attributes = scoped ? [...met].filter(isFeedScopedAttribute) : [...met];
    const shadowers = new Map<string, Grant>();
    for (const user of users) {
      query.user = user;
      for (const attribute of attributes) {
        query.attribute = attribute;
        for (const feed of feeds) {
          query.feed = feed;
          const by = compiled.check(query).decidedBy;
          if (!by) continue;
          if (by.index === i) return; // it decides something: not shadowed
          if (shadowers.size < SHADOWER_LIMIT) {
            shadowers.set(
              by.index >= 0 ? String(by.index) : `${by.feed ?? ''}\u0000${by.task}`,
              by,
            );
          }
        }
      }
    }
    const by = [...shadowers.values()];
    // A copy of this grant, or its restriction twin, is already reported by duplicate-/conflicting-grant.
    const key = grantKey(p);
    const twin = (g: Grant) =>
      g.index >= 0 && grantKey(policy.permissions[g.index] as Permission) === key;
    if (by.length > 0 && by.every(twin)) return;
    const items: LintItem[] = [item];
    for (const g of by.slice(0, 5)) {
      if (g.index >= 0)
        items.push(permissionItem(policy.permissions[g.index] as Permission, g.index));
      else if (g.feed !== undefined) items.push({ kind: 'feed', name: g.feed });
    }
    const reason =
      by.length === 0
        ? 'no query reaches it'
        : by.length === 1
          ? `${describeGrant(by[0] as Grant)} always decides first`
          : `earlier grants always decide first (${listSome(by.map(describeGrant), 2)})`;
    findings.push({
      id: 'shadowed-grant',
      severity: 'warning',
      message: `${describePermission(p, i)} can never decide anything: for every user, attribute and feed it covers, ${reason}. Remove it, or change the grant(s) that shadow it if it was meant to take effect.`,
      items,
    });
  });
  return findings;
}
