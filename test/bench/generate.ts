// Deterministic generated policies for benchmarks and large tests: S, M and L sizes with
// 1-3 groups per user, groups nested up to three deep, feed groups and all access types.
import {
  BUILT_IN_TASKS,
  FEED_ACCESS_TYPES,
  type Permission,
  type Policy,
  parsePolicy,
} from '../../src/core/index';

export interface PolicySize {
  users: number;
  groups: number;
  feeds: number;
  grants: number;
}

export const SIZES: Record<'S' | 'M' | 'L', PolicySize> = {
  S: { users: 100, groups: 20, feeds: 20, grants: 300 },
  M: { users: 2_000, groups: 200, feeds: 200, grants: 5_000 },
  L: { users: 20_000, groups: 1_000, feeds: 1_000, grants: 50_000 },
};

/** mulberry32: a small seeded PRNG so every run benchmarks the same policies. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FEED_SCOPABLE_TASKS = [
  'Manage Feed',
  'Promote Packages',
  'Publish Packages',
  'View & Download Packages',
];

export function generatePolicyFile(size: PolicySize, seed = 1): Record<string, unknown> {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const groups = Array.from({ length: size.groups }, (_, i) => ({
    name: `group-${i}`,
    groups: [] as string[],
  }));
  // Nest about a third of the groups inside another, which makes chains a few levels deep.
  for (let i = 1; i < groups.length; i++) {
    if (random() < 0.33)
      (groups[Math.floor(random() * i)] as { groups: string[] }).groups.push(`group-${i}`);
  }
  if (groups.length > 2) (groups[groups.length - 1] as { groups: string[] }).groups.push('group-0'); // one cycle
  const users = Array.from({ length: size.users }, (_, i) => {
    const count = 1 + Math.floor(random() * 3);
    const mine = new Set<string>();
    while (mine.size < Math.min(count, size.groups))
      mine.add(`group-${Math.floor(random() * size.groups)}`);
    return { name: `user-${i}`, groups: [...mine] };
  });
  const feedGroupCount = Math.max(1, Math.floor(size.feeds / 10));
  const feedGroups = Array.from({ length: feedGroupCount }, (_, i) => ({ name: `feedgroup-${i}` }));
  const feeds = Array.from({ length: size.feeds }, (_, i) => ({
    name: `feed-${i}`,
    feedType: pick(['nuget', 'npm', 'universal', 'maven'] as const),
    ...(random() < 0.7 ? { feedGroup: `feedgroup-${Math.floor(random() * feedGroupCount)}` } : {}),
    access: random() < 0.7 ? 'private' : pick(FEED_ACCESS_TYPES),
  }));
  const tasks = [
    ...BUILT_IN_TASKS.map((t) => ({
      name: t.name,
      description: t.description,
      attributes: [...t.attributes],
    })),
    {
      name: 'Read Only Auditor',
      description: 'views and scheduled tasks',
      attributes: ['Feeds_ViewFeed', 'Admin_ViewScheduledTasks'],
    },
    {
      name: 'Unlister',
      description: 'unlist only',
      attributes: ['Feeds_ViewFeed', 'Feeds_UnlistPackage'],
    },
  ];
  const permissions: Permission[] = [{ group: 'group-0', task: 'Administer', deny: false }];
  // Distinct grants: a size's grant count is what the engine gets (random draws repeat ~13%
  // of L's grants otherwise, and a duplicate adds nothing to decide).
  const drawn = new Set<string>([JSON.stringify(permissions[0])]);
  while (permissions.length < size.grants) {
    const toUser = random() < 0.3;
    const scopeRoll = random();
    const scoped = scopeRoll < 0.6;
    const task = scoped
      ? pick([...FEED_SCOPABLE_TASKS, 'Unlister'])
      : pick([...FEED_SCOPABLE_TASKS, 'Manage Projects', 'Read Only Auditor', 'Unlister']);
    const p: Permission = { task, deny: random() < 0.15 };
    if (toUser) p.user = `user-${Math.floor(random() * size.users)}`;
    // Virtual groups get a handful of grants, as in real policies (a public catalogue, say).
    else
      p.group =
        permissions.length % Math.floor(size.grants / 8) === 7
          ? pick(['Everyone', 'Authenticated'])
          : `group-${Math.floor(random() * size.groups)}`;
    if (scoped) {
      if (scopeRoll < 0.45) p.feed = `feed-${Math.floor(random() * size.feeds)}`;
      else p.feedGroup = `feedgroup-${Math.floor(random() * feedGroupCount)}`;
    }
    const key = JSON.stringify(p);
    if (drawn.has(key)) continue;
    drawn.add(key);
    permissions.push(p);
  }
  return { format: 'feedgate-policy/1', users, groups, feedGroups, feeds, tasks, permissions };
}

export function generatePolicy(size: PolicySize, seed = 1): Policy {
  return parsePolicy(generatePolicyFile(size, seed));
}

/** A copy of a policy with `fraction` of its grants changed: a third removed, a third added, a third flipped. */
export function mutatePolicy(policy: Policy, fraction: number, seed = 2): Policy {
  const random = rng(seed);
  const permissions = policy.permissions.map((p) => ({ ...p }));
  const changes = Math.max(1, Math.round(permissions.length * fraction));
  for (let i = 0; i < changes; i++) {
    const at = 1 + Math.floor(random() * (permissions.length - 1)); // keep the Administer grant
    const kind = i % 3;
    const target = permissions[at] as Permission;
    if (kind === 0) permissions.splice(at, 1);
    else if (kind === 1)
      permissions.push({ ...target, deny: !target.deny, ...(target.feed ? {} : {}) });
    else target.deny = !target.deny;
  }
  return parsePolicy({ ...policy, tasks: policy.tasks, permissions });
}
