// Privileges of people on one feed: the preset each has is shown, changing it or giving a new
// person a preset is one draft edit the real engine applies, a preset the draft cannot take
// says why, and a directory answer from the cache is marked as such.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  applyChangeSet,
  compile,
  parsePolicy,
  type Operation,
  type Policy,
} from '../../../core/index';
import type { PrincipalSearch } from '../lib/principals';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import FeedPrivileges from './FeedPrivileges.svelte';

/** Renders the panel over a policy that each edit changes, as the draft would. */
function renderEditable(start: Policy, search?: PrincipalSearch) {
  const state = { policy: start, edits: [] as { label: string; operations: Operation[] }[] };
  const view = render(FeedPrivileges, {
    policy: start,
    feed: 'Production',
    ...(search && { search }),
    onedit: (label: string, operations: Operation[]) => {
      state.edits.push({ label, operations });
      state.policy = applyChangeSet(state.policy, { operations });
      void view.rerender({ policy: state.policy });
    },
  });
  return { ...view, state };
}

const sample = parsePolicy(SAMPLE_POLICY_TEXT);
const rowOf = (name: RegExp) => screen.getByRole('row', { name });
const can = (policy: Policy, user: string, attribute: string) =>
  compile(policy).check({ user, attribute, feed: 'Production' }).allowed;

describe('FeedPrivileges', () => {
  it("shows each person's preset and changes one in a single edit", async () => {
    const { container, state } = renderEditable(sample);
    expect(screen.getByRole('heading', { name: 'Privileges on Production' })).toBeTruthy();
    const developers = within(rowOf(/group Developers/)).getByRole('combobox');
    // A restriction of Promote Packages is no preset: shown as custom grants.
    expect((developers as HTMLSelectElement).selectedOptions[0]?.textContent).toBe('Custom grants');
    const apply = within(rowOf(/group Developers/)).getByRole('button', { name: /Apply/ });
    expect((apply as HTMLButtonElement).disabled).toBe(true);

    await fireEvent.change(developers, { target: { value: 'consume' } });
    await fireEvent.click(apply);
    await tick();
    expect(state.edits).toHaveLength(1);
    expect(state.edits[0]?.label).toBe(
      'Can consume (view & download): group Developers on Production',
    );
    expect(can(state.policy, 'alice', 'Feeds_ViewFeed')).toBe(true);
    // The group-wide Promote Packages (global) still lets alice add: only feed grants were replaced.
    expect(can(state.policy, 'alice', 'Feeds_AddPackage')).toBe(true);
    const now = within(rowOf(/group Developers/)).getByRole('combobox') as HTMLSelectElement;
    expect(now.selectedOptions[0]?.textContent).toBe('Can consume (view & download)');
    await expectNoSeriousViolations(container);
  });

  it('gives a new person a preset, and says what blocks a preset', async () => {
    const clash = parsePolicy({
      ...JSON.parse(SAMPLE_POLICY_TEXT),
      tasks: [{ name: 'Manage Packages', attributes: ['Feeds_ViewFeed'] }],
    });
    const { state } = renderEditable(clash);
    const picker = screen.getByRole('combobox', { name: 'User or group' });
    await fireEvent.input(picker, { target: { value: 'carol' } });
    await fireEvent.keyDown(picker, { key: 'ArrowDown' });
    await fireEvent.keyDown(picker, { key: 'Enter' });
    const preset = screen.getByRole('combobox', { name: 'Privileges' });
    await fireEvent.change(preset, { target: { value: 'manage-packages' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply preset' }));
    expect(screen.getByRole('alert').textContent).toMatch(
      /exists with other attributes.*Nothing was changed/,
    );
    expect(state.edits).toEqual([]);

    await fireEvent.change(preset, { target: { value: 'none' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Apply preset' }));
    await tick();
    expect(state.edits.map((e) => e.label)).toEqual(['No access: user carol on Production']);
    expect(rowOf(/user carol/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  describe('with a directory', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());

    it('adds a person found in the directory (from the cache) to the policy with the preset', async () => {
      const search: PrincipalSearch = () =>
        Promise.resolve({
          source: 'cache',
          cachedAt: '2026-11-20T09:30:00.000Z',
          principals: [{ kind: 'user', name: 'dave', displayName: 'Dave Directory' }],
        });
      const { state } = renderEditable(sample, search);
      const picker = screen.getByRole('combobox', { name: 'User or group' });
      await fireEvent.input(picker, { target: { value: 'dav' } });
      await vi.advanceTimersByTimeAsync(300);
      expect(screen.getByText(/From the cache/)).toBeTruthy();
      await fireEvent.keyDown(picker, { key: 'ArrowDown' });
      await fireEvent.keyDown(picker, { key: 'Enter' });
      await fireEvent.click(screen.getByRole('button', { name: 'Apply preset' }));
      expect(state.policy.users.find((u) => u.name === 'dave')).toMatchObject({
        displayName: 'Dave Directory',
      });
      expect(can(state.policy, 'dave', 'Feeds_DownloadPackage')).toBe(true);
    });
  });
});
