// MyGet-style privilege presets for one person (a user or a group) on one feed, mapped onto
// the model's tasks at that feed's scope (spec/security-model.md, "Feed access types"; the
// table is in docs/ui.md). Applying a preset replaces every grant of that person scoped to
// that feed, in one change set; the preset a person has is recognised when their grants on
// the feed are exactly one preset's.
import {
  BUILT_IN_TASKS,
  permissionKey,
  VIRTUAL_GROUPS,
  VIRTUAL_USERS,
  type Operation,
  type Permission,
  type Policy,
  type PolicyTask,
} from '../../../core/index';

export type PresetId = 'none' | 'consume' | 'contribute' | 'manage-packages' | 'manage-feed';

export interface Preset {
  id: PresetId;
  label: string;
  /** What the person may do, in a sentence. */
  explanation: string;
  task: string;
  deny: boolean;
  /** A task the preset needs that is not built in: added to the draft when missing. */
  defines?: { description: string; attributes: string[] };
}

/** Manage Feed without managing the feed itself (its settings, connectors and permissions). */
const MANAGE_PACKAGES: Preset['defines'] = {
  description: 'Every package operation on a feed, without managing the feed itself',
  attributes: (BUILT_IN_TASKS.find((t) => t.name === 'Manage Feed')?.attributes ?? []).filter(
    (a) => !a.startsWith('Admin_'),
  ),
};

export const PRESETS: readonly Preset[] = [
  {
    id: 'none',
    label: 'No access',
    explanation:
      'A restriction of Manage Feed: denies every feed privilege here, whatever a group or a broader grant allows (a user-level grant still wins over a group one).',
    task: 'Manage Feed',
    deny: true,
  },
  {
    id: 'consume',
    label: 'Can consume (view & download)',
    explanation: 'View & Download Packages: read-only use of the feed.',
    task: 'View & Download Packages',
    deny: false,
  },
  {
    id: 'contribute',
    label: 'Can contribute packages',
    explanation:
      'Publish Packages: view, download, add and pull. On a community feed, owners also manage the packages they uploaded.',
    task: 'Publish Packages',
    deny: false,
  },
  {
    id: 'manage-packages',
    label: 'Can manage all packages',
    explanation:
      'Manage Packages: every package operation (add, delete, overwrite, unlist, accept promotions), not the feed’s settings or connectors. The task is added to the draft when missing.',
    task: 'Manage Packages',
    deny: false,
    defines: MANAGE_PACKAGES,
  },
  {
    id: 'manage-feed',
    label: 'Can manage the feed',
    explanation: 'Manage Feed: full control of the feed, its packages and connectors.',
    task: 'Manage Feed',
    deny: false,
  },
];

export interface Person {
  kind: 'user' | 'group';
  name: string;
  /** From the directory: kept when the person joins the policy. */
  displayName?: string;
}

/** A principal found in the directory joins the policy with its first grant. */
export function declarePerson(policy: Policy, person: Person): Operation[] {
  if (person.kind === 'user') {
    if (VIRTUAL_USERS.has(person.name) || policy.users.some((u) => u.name === person.name))
      return [];
    const item = {
      name: person.name,
      ...(person.displayName !== undefined && { displayName: person.displayName }),
    };
    return [{ op: 'add', kind: 'user', item }];
  }
  if (VIRTUAL_GROUPS.has(person.name) || policy.groups.some((g) => g.name === person.name))
    return [];
  return [{ op: 'add', kind: 'group', item: { name: person.name } }];
}

const isPerson = (p: Permission, person: Person) =>
  person.kind === 'user' ? p.user === person.name : p.group === person.name;

/** The person's grants scoped to exactly this feed (not its feed group, not global). */
export function feedGrantsOf(policy: Policy, person: Person, feed: string): Permission[] {
  return policy.permissions.filter((p) => p.feed === feed && isPerson(p, person));
}

/** Everyone with at least one grant scoped to the feed, users first, in policy order. */
export function peopleOnFeed(policy: Policy, feed: string): Person[] {
  const seen = new Map<string, Person>();
  for (const p of policy.permissions) {
    if (p.feed !== feed) continue;
    const person: Person =
      p.user !== undefined
        ? { kind: 'user', name: p.user }
        : { kind: 'group', name: p.group ?? '' };
    seen.set(`${person.kind}:${person.name}`, person);
  }
  return [...seen.values()].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'user' ? -1 : 1));
}

/** The task as the preset needs it (its attributes equal as sets), or why it cannot be used. */
function taskProblem(policy: Policy, preset: Preset): string | null {
  if (!preset.defines) return null;
  const task = policy.tasks.find((t) => t.name === preset.task);
  if (!task) return null;
  const want = new Set(preset.defines.attributes);
  const same = task.attributes.length === want.size && task.attributes.every((a) => want.has(a));
  return same
    ? null
    : `the task “${preset.task}” exists with other attributes: rename it (Tasks) or grant it from the Grants table instead`;
}

function presetMatches(policy: Policy, preset: Preset, grants: Permission[]): boolean {
  const [only] = grants;
  return (
    grants.length === 1 &&
    only !== undefined &&
    only.task === preset.task &&
    only.deny === preset.deny &&
    taskProblem(policy, preset) === null
  );
}

/** `null`: no grant on the feed; `custom`: grants that match no preset; else the preset. */
export function currentPreset(
  policy: Policy,
  person: Person,
  feed: string,
): PresetId | 'custom' | null {
  const grants = feedGrantsOf(policy, person, feed);
  if (grants.length === 0) return null;
  return PRESETS.find((p) => presetMatches(policy, p, grants))?.id ?? 'custom';
}

/**
 * The change set items that give `person` exactly `preset` on `feed` (or, for `null`, no grant
 * there): the person's feed-scoped grants removed, the preset's grant added, and the preset's
 * task first when it is missing. Throws with what to do when the preset's task clashes.
 */
export function applyPreset(
  policy: Policy,
  person: Person,
  feed: string,
  presetId: PresetId | null,
): Operation[] {
  const preset = presetId === null ? null : PRESETS.find((p) => p.id === presetId);
  if (presetId !== null && !preset) throw new Error(`unknown preset ${presetId}`);
  const grants = feedGrantsOf(policy, person, feed);
  if (preset && presetMatches(policy, preset, grants)) return [];
  if (preset) {
    const problem = taskProblem(policy, preset);
    if (problem) throw new Error(problem);
  }
  const operations: Operation[] = [];
  if (preset?.defines && !policy.tasks.some((t) => t.name === preset.task)) {
    const task: PolicyTask = { name: preset.task, ...preset.defines };
    operations.push({ op: 'add', kind: 'task', item: task });
  }
  if (preset) operations.push(...declarePerson(policy, person));
  for (const key of new Set(grants.map(permissionKey)))
    operations.push({ op: 'remove', kind: 'permission', key });
  if (preset) {
    operations.push({
      op: 'add',
      kind: 'permission',
      item: {
        ...(person.kind === 'user' ? { user: person.name } : { group: person.name }),
        task: preset.task,
        feed,
        ...(preset.deny && { deny: true }),
      },
    });
  }
  return operations;
}

export function presetLabel(id: PresetId | 'custom' | null): string {
  if (id === null) return 'No grant on this feed';
  if (id === 'custom') return 'Custom grants';
  return PRESETS.find((p) => p.id === id)?.label ?? id;
}
