// The access matrix over the fake back end, which answers access:matrix and access:matrix-why
// with the real engine: cell states (allow, deny, implicit, none, partial) once answered and a
// quiet loading state before, the explanation of a cell from explain()'s trace, keyboard
// navigation, group rows, the rows filter, a draft change asked again (the known cells shown,
// stale, meanwhile), a refusal said where it happened, and a large policy asked for the window
// in view.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import {
  explainMatrixCell,
  matrixWindow,
  type MatrixCellQuestion,
  type MatrixWindowQuestion,
} from '../../../core/access-matrix';
import { prepareAccess } from '../../../core/access-search';
import { parsePolicy, type Policy } from '../../../core/index';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import { gatedClient } from '../testing/gated-client';
import AccessMatrix from './AccessMatrix.svelte';

/** The sample with dave, whom no grant names, and `permissions` added. */
function samplePolicy(permissions: object[] = []): Policy {
  const file = JSON.parse(SAMPLE_POLICY_TEXT) as { users: object[]; permissions: object[] };
  file.users.push({ name: 'dave' });
  file.permissions.push(...permissions);
  return parsePolicy(file);
}

const SOURCE = { id: 'c1' };

/** The fake back end answering for `state.policy` (a test may change it: a draft edit). */
function backEnd(initial: Policy) {
  const state = { prepared: prepareAccess(initial) };
  const fake = new FakeWorkspace();
  fake.answer('access:matrix', (args) =>
    matrixWindow(state.prepared, args as unknown as MatrixWindowQuestion),
  );
  fake.answer('access:matrix-why', (args) =>
    explainMatrixCell(state.prepared, args as unknown as MatrixCellQuestion),
  );
  return {
    fake,
    edit(policy: Policy) {
      state.prepared = prepareAccess(policy);
    },
  };
}

/** The matrix on `policy`, answered by the fake back end. */
function renderMatrix(policy: Policy, props: Record<string, unknown> = {}) {
  const back = backEnd(policy);
  const view = render(AccessMatrix, { policy, client: back.fake.client, source: SOURCE, ...props });
  return { ...back, ...view };
}

const grid = () => screen.getByRole('grid', { name: 'Effective access' });
/** Every cell in view answered. */
const answered = () =>
  waitFor(() => {
    expect(within(grid()).getAllByRole('gridcell').length).toBeGreaterThan(0);
    expect(grid().querySelectorAll('[role="gridcell"][aria-busy="true"]')).toHaveLength(0);
  });

/** The state of the cell at a row and feed column, by their names. */
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
  it('shows cells loading, then colours each by what decides it', async () => {
    const back = backEnd(samplePolicy());
    const { client, open } = gatedClient(back.fake, 'access:matrix');
    const { container } = render(AccessMatrix, {
      policy: samplePolicy(),
      client,
      source: SOURCE,
      subject: 'attribute:Feeds_AddPackage',
    });
    await waitFor(() => expect(grid().getAttribute('aria-busy')).toBe('true'));
    expect(back.fake.callsTo('access:matrix')).toHaveLength(0);
    open();
    await answered();
    expect(grid().getAttribute('aria-busy')).toBe('false');
    expect(stateOf('alice', 'Production')).toBe('deny');
    expect(stateOf('alice', 'Staging')).toBe('allow');
    expect(stateOf('bob', 'Production')).toBe('allow');
    expect(stateOf('dave', 'Production')).toBe('none');
    expect(screen.getAllByText('Denied by a restriction').length).toBeGreaterThan(0);
    expect(back.fake.callsTo('access:matrix')[0]).toEqual({
      source: SOURCE,
      mode: 'users',
      subject: { attribute: 'Feeds_AddPackage' },
      rows: { offset: 0, limit: 50 },
      feeds: { offset: 0, limit: 20 },
    });
    await expectNoSeriousViolations(container);
  });

  it('marks access that only the feed access type gives as implicit', async () => {
    renderMatrix(samplePolicy(), { subject: 'attribute:Feeds_ViewFeed' });
    await answered();
    expect(stateOf('dave', 'public-npm')).toBe('implicit');
    expect(stateOf('dave', 'Staging')).toBe('none');
  });

  it('explains a clicked cell: the deciding grant and the grants it beat', async () => {
    const { fake } = renderMatrix(samplePolicy(), { subject: 'attribute:Feeds_AddPackage' });
    await answered();
    const why = screen.getByRole('complementary', { name: 'Why' });
    expect(within(why).getByText(/Click a cell/)).toBeTruthy();

    const rows = within(grid()).getAllByRole('row');
    const alice = rows.find((r) => r.textContent?.includes('alice')) as HTMLElement;
    await fireEvent.click(within(alice).getAllByRole('gridcell')[0] as HTMLElement);
    const decision = await within(why).findByRole('article', { name: 'Decision' });
    expect(within(decision).getByText('Denied')).toBeTruthy();
    const steps = within(decision).getAllByRole('listitem');
    expect(steps).toHaveLength(2);
    expect(steps[0]?.textContent).toMatch(/Restriction.*group Developers.*feed Production/s);
    expect(steps[0]?.textContent).toMatch(/Decided:/);
    expect(steps[1]?.textContent).toMatch(/Permission.*group Developers.*all feeds/s);
    expect(steps[1]?.textContent).toMatch(/Lost:/);
    expect(fake.callsTo('access:matrix-why')).toEqual([
      {
        source: SOURCE,
        mode: 'users',
        subject: { attribute: 'Feeds_AddPackage' },
        principal: 'alice',
        feed: 'Production',
      },
    ]);
  });

  it('moves between cells with the arrow keys and explains with Enter', async () => {
    renderMatrix(samplePolicy(), { subject: 'attribute:Feeds_AddPackage' });
    await answered();
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
    expect(await within(why).findByText(/No grant applies/)).toBeTruthy();
    expect(within(why).getAllByText('dave').length).toBeGreaterThan(0);
    await fireEvent.keyDown(g, { key: 'Escape' });
    expect(within(why).getByText(/Click a cell/)).toBeTruthy();
  });

  it('shows groups through a member of each, and tasks as all of their attributes', async () => {
    renderMatrix(samplePolicy(), { mode: 'groups', subject: 'task:Manage Feed' });
    await answered();
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
    await answered();
    await waitFor(() => expect(within(grid()).getAllByRole('rowheader')).toHaveLength(4));
  });

  it('filters the rows by name in the back end', async () => {
    const { fake } = renderMatrix(samplePolicy());
    await answered();
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Filter users' }), {
      target: { value: 'o' },
    });
    await waitFor(() =>
      expect(
        within(grid())
          .getAllByRole('rowheader')
          .map((h) => h.textContent?.trim()),
      ).toEqual(['bob', 'carol']),
    );
    expect(grid().getAttribute('aria-rowcount')).toBe('3');
    expect(fake.callsTo('access:matrix').at(-1)).toMatchObject({ filter: 'o' });
  });

  it('asks again when the draft changes, showing the cells it knows meanwhile', async () => {
    const back = backEnd(samplePolicy());
    const { client, open } = gatedClient(back.fake, 'access:matrix');
    const { rerender } = render(AccessMatrix, { policy: samplePolicy(), client, source: SOURCE });
    open();
    await answered();
    expect(stateOf('dave', 'Staging')).toBe('none');
    await fireEvent.click(grid().querySelector('[data-row="3"][data-column="1"]') as HTMLElement);
    const why = screen.getByRole('complementary', { name: 'Why' });
    await within(why).findByText(/No grant applies/);

    const edited = samplePolicy([{ user: 'dave', task: 'Publish Packages', feed: 'Staging' }]);
    back.edit(edited);
    await rerender({ policy: edited });
    // Asked again; until the answer, the cell known is shown, marked stale.
    const cell = () => grid().querySelector('[data-row="3"][data-column="1"]') as HTMLElement;
    await waitFor(() => expect(cell().classList.contains('stale')).toBe(true));
    expect(cell().dataset.state).toBe('none');
    expect(cell().getAttribute('aria-busy')).toBe('true');
    open();
    await waitFor(() => expect(stateOf('dave', 'Staging')).toBe('allow'));
    expect(cell().getAttribute('aria-busy')).toBe('false');
    // The open explanation is asked again too.
    await waitFor(() =>
      expect(within(why).getByRole('article', { name: 'Decision' }).textContent).toMatch(
        /Allowed.*Permission.*user dave/s,
      ),
    );
  });

  it('says where it failed and what to do when the back end refuses', async () => {
    const { fake } = renderMatrix(samplePolicy());
    fake.answer('access:matrix', () => {
      throw new Error('access:matrix refused: no connection with id "c1"');
    });
    // A new question (another subject) is asked and refused.
    await fireEvent.change(screen.getByRole('combobox', { name: 'Attribute or task' }), {
      target: { value: 'attribute:Feeds_ViewFeed' },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/no connection with id "c1"\. Check the connection/);
  });

  it('asks only for the window in view of a large policy', async () => {
    const users = Array.from({ length: 5_000 }, (_, i) => ({ name: `user${i}` }));
    const feeds = Array.from({ length: 400 }, (_, i) => ({ name: `feed${i}`, feedType: 'npm' }));
    const policy = parsePolicy({
      users,
      feeds,
      permissions: [{ user: 'user1', task: 'Publish Packages', feed: 'feed2' }],
    });
    const { fake } = renderMatrix(policy, { subject: 'attribute:Feeds_AddPackage' });
    await answered();
    expect(grid().getAttribute('aria-rowcount')).toBe('5001');
    expect(grid().getAttribute('aria-colcount')).toBe('401');
    const cells = within(grid()).getAllByRole('gridcell');
    expect(cells.length).toBeGreaterThan(0);
    expect(cells.length).toBeLessThan(600);
    expect(stateOf('user1', 'feed2')).toBe('allow');
    const asked = fake.callsTo('access:matrix') as { rows: { offset: number } }[];
    expect(asked.length).toBeLessThanOrEqual(4);
    expect(asked.every((a) => a.rows.offset < 100)).toBe(true);

    // Scrolled to the end of the matrix: the blocks that come into view are asked for.
    const g = grid();
    g.scrollTop = 5_000 * 30;
    g.scrollLeft = 400 * 104;
    await fireEvent.scroll(g);
    await answered();
    expect(stateOf('user4999', 'feed399')).toBe('none');
    const last = fake.callsTo('access:matrix').at(-1);
    expect(last).toMatchObject({
      rows: { offset: 4_950, limit: 50 },
      feeds: { offset: 380, limit: 20 },
    });
  });
});
