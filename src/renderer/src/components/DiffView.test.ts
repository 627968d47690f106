// The draft view over real diffs: diffPolicies and accessDiff of the sample policy and a
// draft of it, grouped by kind and by cause with counts, expandable, with lint findings.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import {
  accessDiff,
  diffPolicies,
  lintPolicy,
  parsePolicy,
  type Permission,
  type Policy,
} from '../../../core/index';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import DiffView from './DiffView.svelte';

const base = parsePolicy(SAMPLE_POLICY_TEXT);

function draftOf(policy: Policy, permissions: Permission[]): Policy {
  return { ...policy, permissions };
}

// The draft: Developers may no longer promote to Staging, bob loses his Production exception,
// and a duplicate restriction appears (a lint finding).
const staging: Permission = {
  group: 'Developers',
  task: 'Promote Packages',
  feed: 'Staging',
  deny: true,
};
const draft = draftOf(base, [
  ...base.permissions.filter((p) => p.user !== 'bob'),
  staging,
  staging,
]);

function renderDiff(next: Policy = draft) {
  return render(DiffView, {
    diff: diffPolicies(base, next),
    access: accessDiff(base, next),
    findings: lintPolicy(next),
  });
}

describe('DiffView', () => {
  it('shows the structural and the access diff side by side with their counts', async () => {
    const { container } = renderDiff();
    const changes = screen.getByRole('region', { name: 'Changes' });
    expect(within(changes).getByText('+1')).toBeTruthy();
    expect(within(changes).getByText('−1')).toBeTruthy();
    const grants = within(changes).getByRole('button', { name: /Grants/ });
    expect(grants.textContent).toMatch(/Grants\s*2/);

    const access = screen.getByRole('region', { name: 'Access' });
    const summary = accessDiff(base, draft);
    expect(within(access).getAllByRole('button')).toHaveLength(summary.groups.length);
    expect(within(access).getByText(`${summary.totals.revoked} revocations`)).toBeTruthy();
    await expectNoSeriousViolations(container);
  });

  it('expands a structural group to its entries', async () => {
    renderDiff();
    const grants = screen.getByRole('button', { name: /Grants/ });
    expect(grants.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.click(grants);
    expect(grants.getAttribute('aria-expanded')).toBe('true');
    const list = document.getElementById(grants.getAttribute('aria-controls') ?? '');
    const items = within(list as HTMLElement).getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.replace(/\s+/g, ' ').trim())).toEqual([
      'added group Developers · Promote Packages · feed Staging (restriction)',
      'removed user bob · Promote Packages · feed Production (permission)',
    ]);
    await fireEvent.click(grants);
    expect(grants.getAttribute('aria-expanded')).toBe('false');
  });

  it('groups access flips by cause and lists who loses what when expanded', async () => {
    renderDiff();
    const access = screen.getByRole('region', { name: 'Access' });
    // Without his own permission, the group restriction on Production now decides for bob.
    const bobs = within(access).getByRole('button', { name: /Restriction.*feed Production/ });
    expect(bobs.textContent).toMatch(/revoked/);
    expect(bobs.textContent).toMatch(/4$/);
    await fireEvent.click(bobs);
    const body = document.getElementById(bobs.getAttribute('aria-controls') ?? '') as HTMLElement;
    const rows = within(body).getAllByRole('row').slice(1);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.textContent?.includes('bob'))).toBe(true);
    expect(rows.every((r) => r.textContent?.includes('Production'))).toBe(true);
    expect(within(body).getByText('Feeds_AddPackage')).toBeTruthy();

    const staged = within(access).getByRole('button', { name: /Restriction.*feed Staging/ });
    expect(staged.textContent).toMatch(/revoked/);
    expect(staged.textContent).toMatch(/8$/); // alice and bob × the 4 attributes of the task
  });

  it('lists the lint findings of the draft', () => {
    renderDiff();
    const lint = screen.getByRole('region', { name: /Lint findings/ });
    expect(within(lint).getByText('duplicate-grant')).toBeTruthy();
  });

  it('says when nothing changes', () => {
    renderDiff(base);
    expect(screen.getByText('The draft is the same as its base.')).toBeTruthy();
    expect(screen.getByText('No one gains or loses access.')).toBeTruthy();
  });
});
