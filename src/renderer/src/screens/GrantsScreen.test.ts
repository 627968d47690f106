// The Grants screen over the fake back end: the Grants tab first (add form and table), a
// principal found by principals:search joining the policy with its grant in one edit, the
// draft edit's failure above the tabs, and the Feeds & privileges tab.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applyChangeSet, parsePolicy, type Operation } from '../../../core/index';
import { directorySearch } from '../lib/principals';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import GrantsScreen from './GrantsScreen.svelte';

const policy = parsePolicy(SAMPLE_POLICY_TEXT);

describe('GrantsScreen', () => {
  let fake: FakeWorkspace;
  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeWorkspace();
    fake.answer('principals:search', () => ({
      source: 'server',
      directory: 'Corp',
      cachedAt: '2026-11-23T10:00:00.000Z',
      principals: [{ kind: 'user', name: 'erin', displayName: 'Erin from LDAP' }],
    }));
  });
  afterEach(() => vi.useRealTimers());

  it('adds a grant for a directory user, who joins the policy in the same edit', async () => {
    const edits: { label: string; operations: Operation[] }[] = [];
    const { container } = render(GrantsScreen, {
      policy,
      search: directorySearch(fake.client, 'c1'),
      error: 'Grant add: unknown task. Nothing was changed.',
      onedit: (label: string, operations: Operation[]) => edits.push({ label, operations }),
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/Nothing was changed/);
    // Where the edits are made: under the add form, over the table and its bulk-edit toolbar.
    const addForm = screen.getByRole('button', { name: 'Add' }).closest('form') as HTMLElement;
    expect(addForm.compareDocumentPosition(alert) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(
      alert.compareDocumentPosition(screen.getByRole('grid')) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Grants' }).getAttribute('aria-selected')).toBe('true');
    const principal = screen.getByRole('combobox', { name: 'Principal' });
    await fireEvent.input(principal, { target: { value: 'eri' } });
    await vi.advanceTimersByTimeAsync(300);
    expect(fake.callsTo('principals:search')).toEqual([{ id: 'c1', term: 'eri' }]);
    await fireEvent.keyDown(principal, { key: 'ArrowDown' });
    await fireEvent.keyDown(principal, { key: 'Enter' });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Task' }), {
      target: { value: 'View & Download Packages' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(edits).toHaveLength(1);
    const after = applyChangeSet(policy, { operations: edits[0]?.operations ?? [] });
    expect(after.users.find((u) => u.name === 'erin')).toMatchObject({
      displayName: 'Erin from LDAP',
    });
    expect(after.permissions).toContainEqual({
      user: 'erin',
      task: 'View & Download Packages',
      deny: false,
    });
    vi.useRealTimers();
    await expectNoSeriousViolations(container);
  });

  it('shows a failed edit on the feeds tab over the feeds panel', async () => {
    render(GrantsScreen, {
      policy,
      error: 'Delete feed Production: refused. Nothing was changed.',
      onedit: () => {},
    });
    await fireEvent.click(screen.getByRole('tab', { name: 'Feeds & privileges' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toMatch(/Nothing was changed/);
    const panel = screen.getByRole('heading', { name: 'Feeds and feed groups' });
    expect(alert.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('tabpanel').contains(alert)).toBe(true);
  });

  it('shows the feeds and their privileges on the second tab', async () => {
    render(GrantsScreen, { policy, error: null, onedit: () => {} });
    await fireEvent.click(screen.getByRole('tab', { name: 'Feeds & privileges' }));
    expect(screen.getByRole('heading', { name: 'Feeds and feed groups' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Privileges on Production' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it("sets aside a directory answer that is not the draft's directory, and says why", async () => {
    render(GrantsScreen, {
      policy,
      search: directorySearch(fake.client, 'c1', 'Built-in'),
      error: null,
      onedit: () => {},
    });
    const principal = screen.getByRole('combobox', { name: 'Principal' });
    await fireEvent.input(principal, { target: { value: 'e' } });
    await vi.advanceTimersByTimeAsync(300);
    expect(
      screen.getByText(/active directory is Corp, the draft's is Built-in: pull/),
    ).toBeTruthy();
    const options = screen.getAllByRole('option', { hidden: true }).map((o) => o.textContent ?? '');
    expect(options.some((o) => o.includes('erin'))).toBe(false);
  });
});
