// The feeds panel over a policy each edit changes (the real engine applies the change sets):
// feeds listed by feed group with type and access type, create, change access, move, delete
// after a confirmation that says what goes along, and a name problem said in place.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { describe, expect, it } from 'vitest';
import { applyChangeSet, parsePolicy, type Operation, type Policy } from '../../../core/index';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import FeedsPanel from './FeedsPanel.svelte';

function renderEditable(start: Policy) {
  const state = { policy: start, labels: [] as string[] };
  const view = render(FeedsPanel, {
    policy: start,
    onedit: (label: string, operations: Operation[]) => {
      state.labels.push(label);
      state.policy = applyChangeSet(state.policy, { operations });
      void view.rerender({ policy: state.policy });
    },
  });
  return { ...view, state };
}

const sample = parsePolicy(SAMPLE_POLICY_TEXT);
const feedOf = (policy: Policy, name: string) => policy.feeds.find((f) => f.name === name);
const groupSections = () =>
  screen
    .getAllByRole('rowheader')
    .filter((h) => h.getAttribute('scope') === 'rowgroup')
    .map((h) => h.textContent?.replace(/\s+/g, ' ').trim());

describe('FeedsPanel', () => {
  it('lists feeds by feed group with type and access, and shows the first feed’s privileges', async () => {
    const { container } = renderEditable(sample);
    expect(groupSections()).toEqual([
      'Feed group production-packages · 1 feed',
      'Not in a feed group · 2 feeds',
    ]);
    const npm = screen.getByRole('row', { name: /public-npm/ });
    expect(within(npm).getByText('npm')).toBeTruthy();
    expect(
      (within(npm).getByRole('combobox', { name: /Access type/ }) as HTMLSelectElement).value,
    ).toBe('public');
    expect(screen.getByRole('heading', { name: 'Privileges on Production' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Privileges on Staging' }));
    expect(screen.getByRole('heading', { name: 'Privileges on Staging' })).toBeTruthy();
    await expectNoSeriousViolations(container);
  });

  it('creates a feed group and a feed in it, changes its access and moves it out', async () => {
    const { state } = renderEditable(sample);
    await fireEvent.input(screen.getByRole('textbox', { name: 'New feed group name' }), {
      target: { value: 'qa' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Create feed group' }));
    await tick();
    await fireEvent.input(screen.getByRole('textbox', { name: 'New feed name' }), {
      target: { value: 'QA-npm' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Feed type' }), {
      target: { value: 'npm' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Access type' }), {
      target: { value: 'community' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Feed group of the new feed' }), {
      target: { value: 'qa' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Create feed' }));
    await tick();
    expect(feedOf(state.policy, 'QA-npm')).toEqual({
      name: 'QA-npm',
      feedType: 'npm',
      access: 'community',
      feedGroup: 'qa',
    });
    // The new feed is the one whose privileges are shown.
    expect(screen.getByRole('heading', { name: 'Privileges on QA-npm' })).toBeTruthy();

    await fireEvent.change(screen.getByRole('combobox', { name: 'Access type of QA-npm' }), {
      target: { value: 'organization' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Feed group of QA-npm' }), {
      target: { value: '' },
    });
    await tick();
    expect(feedOf(state.policy, 'QA-npm')).toEqual({
      name: 'QA-npm',
      feedType: 'npm',
      access: 'organization',
    });
    expect(state.labels).toEqual([
      'Feed group qa',
      'Feed QA-npm',
      'Feed QA-npm: organization access',
      'Feed QA-npm out of qa',
    ]);
  });

  it('deletes only after a confirmation that says what goes along', async () => {
    const { state } = renderEditable(sample);
    const deleteGroup = screen.getByRole('button', {
      name: 'Delete feed group production-packages',
    });
    deleteGroup.focus();
    await fireEvent.click(deleteGroup);
    const confirm = screen.getByRole('alertdialog');
    expect(confirm.textContent).toMatch(/its 1 feed leave the group/);
    // The confirmation takes the focus on its safe choice; Keep it returns it to the row.
    const keep = within(confirm).getByRole('button', { name: 'Keep it' });
    expect(document.activeElement).toBe(keep);
    await fireEvent.click(keep);
    expect(state.labels).toEqual([]);
    await waitFor(() => expect(document.activeElement).toBe(deleteGroup));
    // Escape keeps it too.
    await fireEvent.click(deleteGroup);
    await fireEvent.keyDown(screen.getByRole('button', { name: 'Keep it' }), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(deleteGroup));
    expect(state.labels).toEqual([]);

    await fireEvent.click(screen.getByRole('button', { name: 'Delete feed Production' }));
    expect(screen.getByRole('alertdialog').textContent).toMatch(/its 2 grants/);
    await fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await tick();
    // Its row is gone: the focus is on the list's heading.
    expect(document.activeElement).toBe(
      screen.getByRole('heading', { name: 'Feeds and feed groups' }),
    );
    expect(feedOf(state.policy, 'Production')).toBeUndefined();
    expect(state.policy.permissions.some((p) => p.feed === 'Production')).toBe(false);
    expect(state.labels).toEqual(['Delete feed Production']);
  });

  it('says what is wrong with a new name where it was typed', async () => {
    const { state } = renderEditable(sample);
    await fireEvent.input(screen.getByRole('textbox', { name: 'New feed name' }), {
      target: { value: 'staging' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Create feed' }));
    expect(screen.getByRole('alert').textContent).toMatch(
      /New feed: A feed named “staging” already exists/,
    );
    expect(state.labels).toEqual([]);
  });

  it('renders at most 200 feeds of a large policy and narrows them with the filter', async () => {
    const large = parsePolicy({
      feedGroups: [{ name: 'g' }],
      feeds: Array.from({ length: 1_000 }, (_, i) => ({
        name: `feed-${i}`,
        ...(i % 2 === 0 && { feedGroup: 'g' }),
      })),
    });
    renderEditable(large);
    const feedRows = () => screen.getAllByRole('button', { name: /^Privileges on feed-/ });
    expect(feedRows()).toHaveLength(200);
    expect(screen.getByText('Showing 200 of 1000 feeds: type to narrow')).toBeTruthy();
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Filter feeds' }), {
      target: { value: 'feed-99' },
    });
    // Feed group g (the even ones) first, then the feeds in no group.
    expect(feedRows().map((b) => b.textContent)).toEqual([
      'feed-990',
      'feed-992',
      'feed-994',
      'feed-996',
      'feed-998',
      'feed-99',
      'feed-991',
      'feed-993',
      'feed-995',
      'feed-997',
      'feed-999',
    ]);
    expect(screen.getByText('11 of 1000 feeds')).toBeTruthy();
  });
});
