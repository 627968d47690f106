// The grants table with real grants: search, filters, sorting, the selection gestures, bulk
// edits as change-set operations (applied with the real applyChangeSet), and virtualization
// of 50,000 rows (only a window of them in the DOM).
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { applyChangeSet, parsePolicy, type Operation, type Permission } from '../../../core/index';
import { expectNoSeriousViolations } from '../testing/axe';
import GrantsTable from './GrantsTable.svelte';

const permissions: Permission[] = [
  { group: 'Developers', task: 'Promote Packages', deny: false },
  { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: true },
  { user: 'bob', task: 'Promote Packages', feed: 'Production', deny: false },
  { group: 'Administrators', task: 'Administer', deny: false },
  {
    user: 'alice',
    task: 'View & Download Packages',
    feedGroup: 'production-packages',
    deny: false,
  },
];
const tasks = ['Administer', 'Promote Packages', 'View & Download Packages', 'Publish Packages'];

const grid = () => screen.getByRole('grid', { name: 'Grants' });
const bodyRows = () => within(grid()).getAllByRole('row').slice(1);
const rowTexts = () => bodyRows().map((r) => r.textContent?.replace(/\s+/g, ' ').trim() ?? '');

function setup(props: Partial<{ permissions: Permission[] }> = {}) {
  const emitted: Operation[][] = [];
  const result = render(GrantsTable, {
    permissions: props.permissions ?? permissions,
    tasks,
    onchange: (ops: Operation[]) => emitted.push(ops),
  });
  return { emitted, ...result };
}

describe('GrantsTable', () => {
  it('lists every grant with principal, task, scope and effect, and passes the scan', async () => {
    const { container } = setup();
    expect(grid().getAttribute('aria-rowcount')).toBe('6');
    expect(rowTexts()[1]).toBe('group Developers Promote Packages Feed Production Restriction');
    expect(rowTexts()[4]).toBe(
      'user alice View & Download Packages Feed group production-packages Permission',
    );
    await expectNoSeriousViolations(container);
  });

  it('searches and filters by effect, scope type and principal type', async () => {
    setup();
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search grants' }), {
      target: { value: 'production' },
    });
    expect(bodyRows()).toHaveLength(3);
    await fireEvent.change(screen.getByRole('combobox', { name: 'Effect' }), {
      target: { value: 'deny' },
    });
    expect(rowTexts()).toEqual(['group Developers Promote Packages Feed Production Restriction']);
    await fireEvent.change(screen.getByRole('combobox', { name: 'Effect' }), {
      target: { value: 'any' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Principal type' }), {
      target: { value: 'user' },
    });
    expect(bodyRows()).toHaveLength(2);
    await fireEvent.change(screen.getByRole('combobox', { name: 'Scope type' }), {
      target: { value: 'feedGroup' },
    });
    expect(rowTexts()).toEqual([
      'user alice View & Download Packages Feed group production-packages Permission',
    ]);
    await fireEvent.input(screen.getByRole('searchbox', { name: 'Search grants' }), {
      target: { value: 'nobody' },
    });
    expect(bodyRows()).toHaveLength(0);
    expect(screen.getByText(/No grants match/)).toBeTruthy();
  });

  it('sorts by a column, ascending then descending, with aria-sort', async () => {
    setup();
    const header = screen.getByRole('columnheader', { name: /Principal/ });
    await fireEvent.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('ascending');
    expect(rowTexts().map((t) => t.split(' ')[1])).toEqual([
      'Administrators',
      'alice',
      'bob',
      'Developers',
      'Developers',
    ]);
    await fireEvent.click(within(header).getByRole('button'));
    expect(header.getAttribute('aria-sort')).toBe('descending');
    expect(rowTexts()[0]?.split(' ')[1]).toBe('Developers');
    expect(rowTexts()[4]?.split(' ')[1]).toBe('Administrators');
  });

  it('selects by click, ctrl-click, shift-click range and select-all of the filtered rows', async () => {
    setup();
    const selectedCount = () =>
      bodyRows().filter((r) => r.getAttribute('aria-selected') === 'true').length;
    await fireEvent.click(bodyRows()[1] as HTMLElement);
    expect(selectedCount()).toBe(1);
    await fireEvent.click(bodyRows()[3] as HTMLElement, { ctrlKey: true });
    expect(selectedCount()).toBe(2);
    await fireEvent.click(bodyRows()[1] as HTMLElement, { metaKey: true });
    expect(selectedCount()).toBe(1);
    await fireEvent.click(bodyRows()[0] as HTMLElement);
    await fireEvent.click(bodyRows()[2] as HTMLElement, { shiftKey: true });
    expect(bodyRows().map((r) => r.getAttribute('aria-selected'))).toEqual([
      'true',
      'true',
      'true',
      'false',
      'false',
    ]);

    // Select-all adds the shown rows (alice, and bob already selected) to the selection...
    await fireEvent.change(screen.getByRole('combobox', { name: 'Principal type' }), {
      target: { value: 'user' },
    });
    const all = screen.getByRole('checkbox', { name: /Select all 2 shown/ }) as HTMLInputElement;
    expect(all.indeterminate).toBe(true);
    await fireEvent.click(all);
    expect(screen.getByText('4 selected')).toBeTruthy();
    // ...and unticking it drops only them.
    await fireEvent.click(all);
    expect(screen.getByText('2 selected')).toBeTruthy();
  });

  it('moves with the arrow keys, extends with shift, toggles with space', async () => {
    setup();
    const g = grid();
    g.focus();
    await fireEvent.keyDown(g, { key: 'ArrowDown' });
    expect(g.getAttribute('aria-activedescendant')).toBe(bodyRows()[1]?.id);
    await fireEvent.keyDown(g, { key: ' ' });
    await fireEvent.keyDown(g, { key: 'ArrowDown', shiftKey: true });
    await fireEvent.keyDown(g, { key: 'ArrowDown', shiftKey: true });
    expect(bodyRows().map((r) => r.getAttribute('aria-selected'))).toEqual([
      'false',
      'true',
      'true',
      'true',
      'false',
    ]);
    await fireEvent.keyDown(g, { key: 'Escape' });
    expect(screen.queryByText(/selected/)).toBeNull();
    await fireEvent.keyDown(g, { key: 'a', ctrlKey: true });
    expect(screen.getByText('5 selected')).toBeTruthy();
  });

  it('emits bulk edits as change-set operations that the engine applies', async () => {
    const { emitted } = setup();
    await fireEvent.click(bodyRows()[1] as HTMLElement);
    await fireEvent.click(screen.getByRole('button', { name: 'Flip effect' }));
    await fireEvent.click(bodyRows()[4] as HTMLElement);
    await fireEvent.change(screen.getByRole('combobox', { name: /New task/ }), {
      target: { value: 'Publish Packages' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Change task' }));
    await fireEvent.click(bodyRows()[3] as HTMLElement);
    await fireEvent.keyDown(grid(), { key: 'Delete' });
    expect(emitted).toHaveLength(3);

    const policy = parsePolicy({
      users: [{ name: 'alice' }, { name: 'bob' }],
      groups: [{ name: 'Developers' }, { name: 'Administrators', users: ['alice'] }],
      feedGroups: [{ name: 'production-packages' }],
      feeds: [{ name: 'Production', feedType: 'nuget', feedGroup: 'production-packages' }],
      permissions,
    });
    const after = applyChangeSet(policy, { operations: emitted.flat() });
    expect(after.permissions).toEqual(
      expect.arrayContaining([
        { group: 'Developers', task: 'Promote Packages', feed: 'Production', deny: false },
        {
          user: 'alice',
          task: 'Publish Packages',
          feedGroup: 'production-packages',
          deny: false,
        },
      ]),
    );
    expect(after.permissions).toHaveLength(4);
    expect(after.permissions.some((p) => p.task === 'Administer')).toBe(false);
  });

  it('keeps only a window of 50,000 rows in the DOM, and filters and selects all of them', async () => {
    const many: Permission[] = Array.from({ length: 50_000 }, (_, i) => ({
      user: `user${i}`,
      task: i % 2 === 0 ? 'Promote Packages' : 'Publish Packages',
      feed: `feed${i % 100}`,
      deny: i % 10 === 0,
    }));
    setup({ permissions: many });
    expect(grid().getAttribute('aria-rowcount')).toBe('50001');
    const rendered = bodyRows().length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);

    await fireEvent.change(screen.getByRole('combobox', { name: 'Effect' }), {
      target: { value: 'deny' },
    });
    expect(grid().getAttribute('aria-rowcount')).toBe('5001');
    expect(bodyRows().every((r) => r.textContent?.includes('Restriction'))).toBe(true);
    await fireEvent.click(screen.getByRole('checkbox', { name: /Select all 5000 shown/ }));
    expect(screen.getByText('5,000 selected')).toBeTruthy();

    const g = grid();
    await fireEvent.keyDown(g, { key: 'End' });
    // The last restriction is permissions[49990]: the cursor reaches it without rendering the rest.
    expect(g.getAttribute('aria-activedescendant')).toMatch(/-row-49990$/);
  });
});
