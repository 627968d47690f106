// The access matrix over the real compiled engine: cell states (allow, deny, implicit, none,
// partial), the explanation of a cell from explain()'s trace, keyboard navigation, the group
// rows (a probe member per group), and a large policy rendered as a window of cells.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '../../../core/index';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import AccessMatrix from './AccessMatrix.svelte';

function samplePolicy(): Policy {
  const file = JSON.parse(SAMPLE_POLICY_TEXT) as { users: object[] };
  file.users.push({ name: 'dave' });
  return parsePolicy(file);
}

const grid = () => screen.getByRole('grid', { name: 'Effective access' });
/** The state of the cell at a user row and feed column, by their names. */
function stateOf(principal: string, feed: string): string | undefined {
  const rows = within(grid()).getAllByRole('row');
  const feeds = within(rows[0] as HTMLElement)
    .getAllByRole('columnheader')
    .map((h) => h.textContent?.trim());
  const row = rows.find(
    (r) => within(r).queryByRole('rowheader')?.textContent?.trim() === principal,
  );
  const cells = row ? within(row).getAllByRole('gridcell') : [];
  return cells[feeds.indexOf(feed) - 1]?.dataset.state;
}

describe('AccessMatrix', () => {
  it('colours each user × feed cell by what decides it', async () => {
    const { container } = render(AccessMatrix, {
      policy: samplePolicy(),
      subject: 'attribute:Feeds_AddPackage',
    });
    expect(stateOf('alice', 'Production')).toBe('deny');
    expect(stateOf('alice', 'Staging')).toBe('allow');
    expect(stateOf('bob', 'Production')).toBe('allow');
    expect(stateOf('dave', 'Production')).toBe('none');
    expect(screen.getAllByText('Denied by a restriction').length).toBeGreaterThan(0);
    await expectNoSeriousViolations(container);
  });

  it('marks access that only the feed access type gives as implicit', () => {
    render(AccessMatrix, { policy: samplePolicy(), subject: 'attribute:Feeds_ViewFeed' });
    expect(stateOf('dave', 'public-npm')).toBe('implicit');
    expect(stateOf('dave', 'Staging')).toBe('none');
  });

  it('explains a clicked cell: the deciding grant and the grants it beat', async () => {
    render(AccessMatrix, { policy: samplePolicy(), subject: 'attribute:Feeds_AddPackage' });
    const why = screen.getByRole('complementary', { name: 'Why' });
    expect(within(why).getByText(/Click a cell/)).toBeTruthy();

    const rows = within(grid()).getAllByRole('row');
    const alice = rows.find((r) => r.textContent?.includes('alice')) as HTMLElement;
    await fireEvent.click(within(alice).getAllByRole('gridcell')[0] as HTMLElement);
    const decision = within(why).getByRole('article', { name: 'Decision' });
    expect(within(decision).getByText('Denied')).toBeTruthy();
    const steps = within(decision).getAllByRole('listitem');
    expect(steps).toHaveLength(2);
    expect(steps[0]?.textContent).toMatch(/Restriction.*group Developers.*feed Production/s);
    expect(steps[0]?.textContent).toMatch(/Decided:/);
    expect(steps[1]?.textContent).toMatch(/Permission.*group Developers.*all feeds/s);
    expect(steps[1]?.textContent).toMatch(/Lost:/);
  });

  it('moves between cells with the arrow keys and explains with Enter', async () => {
    render(AccessMatrix, { policy: samplePolicy(), subject: 'attribute:Feeds_AddPackage' });
    const g = grid();
    g.focus();
    const activeState = () =>
      document.getElementById(g.getAttribute('aria-activedescendant') ?? '')?.dataset.state;
    expect(activeState()).toBe('deny'); // alice × Production
    await fireEvent.keyDown(g, { key: 'ArrowDown' });
    expect(activeState()).toBe('allow'); // bob × Production
    await fireEvent.keyDown(g, { key: 'ArrowDown' });
    await fireEvent.keyDown(g, { key: 'ArrowDown' });
    await fireEvent.keyDown(g, { key: 'ArrowDown' }); // stays on the last row
    await fireEvent.keyDown(g, { key: 'ArrowRight' });
    expect(g.getAttribute('aria-activedescendant')).toMatch(/-cell-3-1$/);
    await fireEvent.keyDown(g, { key: 'Enter' });
    const why = screen.getByRole('complementary', { name: 'Why' });
    expect(within(why).getByText(/No grant applies/)).toBeTruthy();
    await fireEvent.keyDown(g, { key: 'Escape' });
    expect(within(why).getByText(/Click a cell/)).toBeTruthy();
  });

  it('shows groups through a member of each, and tasks as all of their attributes', async () => {
    render(AccessMatrix, {
      policy: samplePolicy(),
      mode: 'groups',
      subject: 'task:Manage Feed',
    });
    expect(
      within(grid())
        .getAllByRole('rowheader')
        .map((h) => h.textContent?.trim()),
    ).toEqual(['Developers', 'Administrators']);
    expect(stateOf('Administrators', 'Staging')).toBe('allow');
    // Promote Packages gives some of Manage Feed's attributes, not all of them.
    expect(stateOf('Developers', 'Staging')).toBe('partial');
    expect(stateOf('Developers', 'Production')).toBe('deny');
    await fireEvent.change(screen.getByRole('combobox', { name: 'Rows' }), {
      target: { value: 'users' },
    });
    expect(within(grid()).getAllByRole('rowheader')).toHaveLength(4);
  });

  it('renders only a window of cells of a large policy', () => {
    const users = Array.from({ length: 5_000 }, (_, i) => ({ name: `user${i}` }));
    const feeds = Array.from({ length: 400 }, (_, i) => ({ name: `feed${i}`, feedType: 'npm' }));
    const policy = parsePolicy({
      users,
      feeds,
      permissions: [{ user: 'user1', task: 'Publish Packages', feed: 'feed2' }],
    });
    render(AccessMatrix, { policy, subject: 'attribute:Feeds_AddPackage' });
    expect(grid().getAttribute('aria-rowcount')).toBe('5001');
    expect(grid().getAttribute('aria-colcount')).toBe('401');
    const cells = within(grid()).getAllByRole('gridcell');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(600);
    expect(stateOf('user1', 'feed2')).toBe('allow');
  });
});
