// Privilege presets on the sample policy, applied with the real engine: each preset gives the
// access it says, replaces the person's feed grants in one change set, and is recognised.
import { describe, expect, it } from 'vitest';
import { applyChangeSet, compile, parsePolicy, type Policy } from '../../../core/index';
import { SAMPLE_POLICY_TEXT } from './sample-policy';
import { applyPreset, currentPreset, feedGrantsOf, peopleOnFeed, PRESETS } from './presets';

const sample = parsePolicy(SAMPLE_POLICY_TEXT);
const apply = (
  policy: Policy,
  ...args: Parameters<typeof applyPreset> extends [Policy, ...infer R] ? R : never
) => applyChangeSet(policy, { operations: applyPreset(policy, ...args) });
const allowed = (policy: Policy, user: string, attribute: string, feed: string) =>
  compile(policy).check({ user, attribute, feed }).allowed;

const carol = { kind: 'user', name: 'carol' } as const;

describe('privilege presets', () => {
  it('recognises what a person has on a feed: nothing, a preset, or custom grants', () => {
    expect(peopleOnFeed(sample, 'Production')).toEqual([
      { kind: 'user', name: 'bob' },
      { kind: 'group', name: 'Developers' },
    ]);
    expect(currentPreset(sample, { kind: 'group', name: 'Developers' }, 'Production')).toBe(
      'custom',
    );
    expect(currentPreset(sample, carol, 'Staging')).toBeNull();
    const consuming = apply(sample, carol, 'Staging', 'consume');
    expect(currentPreset(consuming, carol, 'Staging')).toBe('consume');
  });

  it('gives each preset the access it describes', () => {
    const dave = { kind: 'user', name: 'dave', displayName: 'Dave from LDAP' } as const;
    for (const preset of PRESETS) {
      const policy = apply(sample, dave, 'Staging', preset.id);
      // A person found in the directory joins the policy with the grant.
      expect(policy.users.find((u) => u.name === 'dave')).toMatchObject({
        displayName: 'Dave from LDAP',
      });
      const can = (attribute: string) => allowed(policy, 'dave', attribute, 'Staging');
      expect(currentPreset(policy, dave, 'Staging')).toBe(preset.id);
      expect([
        can('Feeds_ViewFeed'),
        can('Feeds_AddPackage'),
        can('Feeds_DeletePackage'),
        can('Admin_ManageConnectors'),
      ]).toEqual(
        {
          none: [false, false, false, false],
          consume: [true, false, false, false],
          contribute: [true, true, false, false],
          'manage-packages': [true, true, true, false],
          'manage-feed': [true, true, true, true],
        }[preset.id],
      );
    }
  });

  it('replaces every feed grant of the person in one change set, and nothing else', () => {
    const developers = { kind: 'group', name: 'Developers' } as const;
    const operations = applyPreset(sample, developers, 'Production', 'consume');
    expect(operations).toEqual([
      {
        op: 'remove',
        kind: 'permission',
        key: 'group:Developers|Promote Packages|feed:Production|deny',
      },
      {
        op: 'add',
        kind: 'permission',
        item: { group: 'Developers', task: 'View & Download Packages', feed: 'Production' },
      },
    ]);
    const after = applyChangeSet(sample, { operations });
    expect(feedGrantsOf(after, developers, 'Production')).toEqual([
      { group: 'Developers', task: 'View & Download Packages', feed: 'Production', deny: false },
    ]);
    // bob's own grant on Production and the group's global grant are untouched.
    expect(after.permissions).toHaveLength(sample.permissions.length);
    // Already so: nothing to do. Clearing removes the feed grants only.
    expect(applyPreset(after, developers, 'Production', 'consume')).toEqual([]);
    expect(
      feedGrantsOf(apply(after, developers, 'Production', null), developers, 'Production'),
    ).toEqual([]);
  });

  it('adds the Manage Packages task once, and refuses a clashing task of that name', () => {
    const first = applyPreset(sample, carol, 'Staging', 'manage-packages');
    expect(first[0]).toMatchObject({ op: 'add', kind: 'task', item: { name: 'Manage Packages' } });
    const policy = applyChangeSet(sample, { operations: first });
    expect(applyPreset(policy, carol, 'public-npm', 'manage-packages')[0]).toMatchObject({
      kind: 'permission',
    });

    const clash = parsePolicy({
      ...JSON.parse(SAMPLE_POLICY_TEXT),
      tasks: [{ name: 'Manage Packages', attributes: ['Feeds_ViewFeed'] }],
    });
    expect(() => applyPreset(clash, carol, 'Staging', 'manage-packages')).toThrow(
      /exists with other attributes/,
    );
    expect(
      currentPreset(
        applyChangeSet(clash, {
          operations: [
            {
              op: 'add',
              kind: 'permission',
              item: { user: 'carol', task: 'Manage Packages', feed: 'Staging' },
            },
          ],
        }),
        carol,
        'Staging',
      ),
    ).toBe('custom');
  });
});
