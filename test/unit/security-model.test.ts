// security-model.md, rule by rule (1/4): attributes and proxies, and tasks. Every decision
// is asserted for both the reference resolver and the compiled evaluator.
import { describe, expect, it } from 'vitest';
import {
  FEED_SCOPABLE,
  SYSTEM_ONLY,
  expectAllowed,
  expectDenied,
  policyWith,
} from '../helpers/engine';
import {
  ATTRIBUTES,
  ATTRIBUTE_IDS,
  BUILT_IN_TASKS,
  PolicyError,
  attributesMetBy,
  isFeedScopableTask,
  parsePolicy,
} from '../../src/core/index';

describe('Attributes (security-model.md "Attributes")', () => {
  it('the catalog lists exactly the attributes of the table, with F = feed-scopable', () => {
    expect([...ATTRIBUTE_IDS].sort()).toEqual([...FEED_SCOPABLE, ...SYSTEM_ONLY].sort());
    for (const a of ATTRIBUTES) expect(a.feedScoped, a.id).toBe(FEED_SCOPABLE.includes(a.id));
  });

  it.each(ATTRIBUTE_IDS)(
    'Admin_ConfigureProGet is a proxy for every other attribute: meets %s',
    (attribute) => {
      expect(attributesMetBy(['Admin_ConfigureProGet']).has(attribute)).toBe(true);
      const p = policyWith(
        [{ user: 'u', task: 'Root' }],
        [{ name: 'Root', attributes: ['Admin_ConfigureProGet'] }],
      );
      const grant = { index: 0, user: 'u', task: 'Root', deny: false };
      expectAllowed(p, { user: 'u', attribute }, grant);
      expectAllowed(p, { user: 'u', attribute, feed: 'A' }, grant);
    },
  );

  it('Admin_ManageFeed is a proxy for every feed-scopable attribute in its scope only', () => {
    expect([...attributesMetBy(['Admin_ManageFeed'])].sort()).toEqual([...FEED_SCOPABLE].sort());
    const p = policyWith(
      [{ user: 'u', task: 'Owner', feed: 'A' }],
      [{ name: 'Owner', attributes: ['Admin_ManageFeed'] }],
    );
    const grant = { index: 0, user: 'u', task: 'Owner', feed: 'A', deny: false };
    for (const attribute of FEED_SCOPABLE) {
      expectAllowed(p, { user: 'u', attribute, feed: 'A' }, grant);
      expectDenied(p, { user: 'u', attribute, feed: 'B' }, null); // another feed: out of scope
      expectDenied(p, { user: 'u', attribute }, null); // system scope: out of scope
    }
  });

  it('Admin_ManageFeed is not a proxy for system attributes, even granted globally', () => {
    const p = policyWith(
      [{ user: 'u', task: 'Owner' }],
      [{ name: 'Owner', attributes: ['Admin_ManageFeed'] }],
    );
    for (const attribute of SYSTEM_ONLY) {
      expectDenied(p, { user: 'u', attribute }, null);
      expectDenied(p, { user: 'u', attribute, feed: 'A' }, null);
    }
    expectAllowed(
      p,
      { user: 'u', attribute: 'Feeds_DeletePackage', feed: 'B' },
      { index: 0, user: 'u', task: 'Owner', deny: false },
    );
  });

  it('a demand is met only by a task containing the attribute or a proxy for it', () => {
    const p = policyWith(
      [{ user: 'u', task: 'Add' }],
      [{ name: 'Add', attributes: ['Feeds_AddPackage'] }],
    );
    expectAllowed(
      p,
      { user: 'u', attribute: 'Feeds_AddPackage', feed: 'A' },
      { index: 0, user: 'u', task: 'Add', deny: false },
    );
    expectDenied(p, { user: 'u', attribute: 'Feeds_ViewFeed', feed: 'A' }, null);
    expectDenied(p, { user: 'u', attribute: 'Feeds_OverwritePackage', feed: 'A' }, null);
  });
});

describe('Tasks (security-model.md "Tasks")', () => {
  const table: Record<string, string[]> = {
    Administer: [...FEED_SCOPABLE, ...SYSTEM_ONLY],
    'Manage Feed': [
      'Feeds_ViewFeed',
      'Feeds_DownloadPackage',
      'Feeds_AddPackage',
      'Feeds_DeletePackage',
      'Feeds_OverwritePackage',
      'Feeds_PullPackage',
      'Feeds_UnlistPackage',
      'Feeds_AcceptPackagePromotions',
      'Admin_ManageFeed',
      'Admin_ManageConnectors',
    ],
    'Promote Packages': [
      'Feeds_ViewFeed',
      'Feeds_DownloadPackage',
      'Feeds_AddPackage',
      'Feeds_AcceptPackagePromotions',
    ],
    'Publish Packages': [
      'Feeds_ViewFeed',
      'Feeds_DownloadPackage',
      'Feeds_AddPackage',
      'Feeds_PullPackage',
    ],
    'View & Download Packages': ['Feeds_ViewFeed', 'Feeds_DownloadPackage'],
    'Manage Projects': [
      'Projects_View',
      'Projects_Manage',
      'Projects_UploadSbom',
      'Projects_ResolveIssue',
    ],
  };

  it("built-in tasks' attributes are exactly as the table", () => {
    expect(BUILT_IN_TASKS.map((t) => t.name).sort()).toEqual(Object.keys(table).sort());
    for (const t of BUILT_IN_TASKS)
      expect([...t.attributes].sort(), t.name).toEqual([...(table[t.name] ?? [])].sort());
    const parsed = parsePolicy({});
    for (const t of parsed.tasks)
      expect([...t.attributes].sort(), t.name).toEqual([...(table[t.name] ?? [])].sort());
  });

  it('a task is feed-scopable when every attribute is: Administer and Manage Projects are not', () => {
    const scopable = Object.fromEntries(
      BUILT_IN_TASKS.map((t) => [t.name, isFeedScopableTask(t.attributes)]),
    );
    expect(scopable).toEqual({
      Administer: false,
      'Manage Feed': true,
      'Promote Packages': true,
      'Publish Packages': true,
      'View & Download Packages': true,
      'Manage Projects': false,
    });
    expect(isFeedScopableTask(['Feeds_ViewFeed', 'Licenses_Manage'])).toBe(false);
  });

  it.each([
    ['Administer', { feed: 'A' }, 'feed "A"'],
    ['Administer', { feedGroup: 'FG' }, 'feed group "FG"'],
    ['Manage Projects', { feed: 'A' }, 'feed "A"'],
    ['Manage Projects', { feedGroup: 'FG' }, 'feed group "FG"'],
  ])(
    'only a feed-scopable task can be granted at feed/feed-group scope: parse refuses %s at %j, naming the grant',
    (task, scope, where) => {
      let error: unknown;
      try {
        policyWith([
          { group: 'G', task: 'View & Download Packages' },
          { group: 'G', task, ...scope },
        ]);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PolicyError);
      const problems = (error as PolicyError).problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]?.path).toBe('permissions[1].task');
      expect(problems[0]?.message).toContain(`task "${task}" is not feed-scopable`);
      expect(problems[0]?.message).toContain(where);
    },
  );

  it('feed-scopable built-in tasks are accepted at feed and feed-group scope; any task globally', () => {
    const feedScopable = [
      'Manage Feed',
      'Promote Packages',
      'Publish Packages',
      'View & Download Packages',
    ];
    const permissions = [
      ...feedScopable.flatMap((task) => [
        { group: 'G', task, feed: 'A' },
        { group: 'G', task, feedGroup: 'FG' },
      ]),
      ...Object.keys(table).map((task) => ({ group: 'G', task })),
    ];
    expect(policyWith(permissions).permissions).toHaveLength(permissions.length);
  });
});
