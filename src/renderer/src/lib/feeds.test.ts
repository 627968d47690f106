// The feeds panel's change sets applied to the sample policy with the real engine: each
// leaves a valid policy, and a deletion takes along what would otherwise dangle.
import { describe, expect, it } from 'vitest';
import { applyChangeSet, parsePolicy, type Operation, type Policy } from '../../../core/index';
import {
  addFeed,
  addFeedGroup,
  deleteFeed,
  deleteFeedGroup,
  feedSections,
  moveFeed,
  nameProblem,
  scopedGrantCount,
  setFeedAccess,
} from './feeds';
import { SAMPLE_POLICY_TEXT } from './sample-policy';

const sample = parsePolicy(SAMPLE_POLICY_TEXT);
const run = (policy: Policy, operations: Operation[]) => applyChangeSet(policy, { operations });
const feed = (policy: Policy, name: string) => policy.feeds.find((f) => f.name === name);

describe('feed edits', () => {
  it('creates a feed group and a feed in it, then moves the feed out and back', () => {
    const grouped = run(
      run(sample, addFeedGroup(' qa ')),
      addFeed({ name: 'QA', feedType: 'npm', access: 'community', feedGroup: 'qa' }),
    );
    expect(feed(grouped, 'QA')).toEqual({
      name: 'QA',
      feedType: 'npm',
      access: 'community',
      feedGroup: 'qa',
    });
    const loose = run(grouped, moveFeed(grouped, 'QA', null));
    expect(feed(loose, 'QA')?.feedGroup).toBeUndefined();
    expect(feed(run(loose, moveFeed(loose, 'QA', 'qa')), 'QA')?.feedGroup).toBe('qa');
    expect(moveFeed(loose, 'QA', null)).toEqual([]);
  });

  it('changes the access type, and does nothing when it is already so', () => {
    const changed = run(sample, setFeedAccess(sample, 'Staging', 'organization'));
    expect(feed(changed, 'Staging')?.access).toBe('organization');
    expect(setFeedAccess(changed, 'Staging', 'organization')).toEqual([]);
  });

  it('deletes a feed with the grants scoped to it', () => {
    expect(scopedGrantCount(sample, { feed: 'Production' })).toBe(2);
    const after = run(sample, deleteFeed(sample, 'Production'));
    expect(feed(after, 'Production')).toBeUndefined();
    expect(after.permissions.filter((p) => p.feed === 'Production')).toEqual([]);
    expect(after.permissions).toHaveLength(sample.permissions.length - 2);
  });

  it('deletes a feed group: its feeds stay, out of any group, and its grants go', () => {
    const withGrant = run(sample, [
      {
        op: 'add',
        kind: 'permission',
        item: { user: 'carol', task: 'Manage Feed', feedGroup: 'production-packages' },
      },
    ]);
    const after = run(withGrant, deleteFeedGroup(withGrant, 'production-packages'));
    expect(after.feedGroups).toEqual([]);
    expect(feed(after, 'Production')?.feedGroup).toBeUndefined();
    expect(after.permissions).toEqual(sample.permissions);
  });

  it('says what is wrong with a new name', () => {
    expect(nameProblem(sample, 'feed', '  ')).toBe('Enter a name.');
    expect(nameProblem(sample, 'feed', 'staging')).toMatch(/already exists/);
    expect(nameProblem(sample, 'feedGroup', 'Production')).toBeNull();
    expect(nameProblem(sample, 'feedGroup', 'PRODUCTION-packages')).toMatch(/feed group named/);
  });

  it('sorts feeds into sections by feed group, keeping empty groups only when unfiltered', () => {
    const withEmpty = run(sample, addFeedGroup('empty'));
    const names = (sections: ReturnType<typeof feedSections>) =>
      sections.map((s) => `${s.group ?? '-'}: ${s.feeds.map((f) => f.name).join(',')}`);
    expect(names(feedSections(withEmpty, withEmpty.feeds, true))).toEqual([
      'production-packages: Production',
      'empty: ',
      '-: Staging,public-npm',
    ]);
    const staging = withEmpty.feeds.filter((f) => f.name === 'Staging');
    expect(names(feedSections(withEmpty, staging, false))).toEqual(['-: Staging']);
  });
});
