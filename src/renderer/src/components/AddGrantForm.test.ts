// Adding a grant: the principal from the picker, a task, a scope and the effect become one
// change-set "add" operation, which the real engine applies to the policy.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { applyChangeSet, parsePolicy, type AddOperation } from '../../../core/index';
import type { PrincipalOption } from '../lib/principals';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import AddGrantForm from './AddGrantForm.svelte';

const policy = parsePolicy(SAMPLE_POLICY_TEXT);

describe('AddGrantForm', () => {
  it('emits the grant as an add operation the engine applies', async () => {
    const added: AddOperation[] = [];
    const principals: PrincipalOption[] = [];
    const { container } = render(AddGrantForm, {
      policy,
      onadd: (op: AddOperation, principal: PrincipalOption) => {
        added.push(op);
        principals.push(principal);
      },
    });
    const principal = screen.getByRole('combobox', { name: 'Principal' });
    await fireEvent.input(principal, { target: { value: 'carol' } });
    await fireEvent.keyDown(principal, { key: 'ArrowDown' });
    await fireEvent.keyDown(principal, { key: 'Enter' });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Task' }), {
      target: { value: 'Publish Packages' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Scope' }), {
      target: { value: 'feed:Staging' },
    });
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Restriction' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));

    expect(added).toEqual([
      {
        op: 'add',
        kind: 'permission',
        item: { user: 'carol', task: 'Publish Packages', feed: 'Staging', deny: true },
      },
    ]);
    // The principal as the picker found it, for a directory user to join the policy.
    expect(principals).toEqual([{ kind: 'user', name: 'carol', displayName: 'Carol Diaz' }]);
    const after = applyChangeSet(policy, { operations: added });
    expect(after.permissions).toContainEqual({
      user: 'carol',
      task: 'Publish Packages',
      feed: 'Staging',
      deny: true,
    });
    await expectNoSeriousViolations(container);
  });

  it('says what is missing instead of emitting an incomplete grant', async () => {
    const added: AddOperation[] = [];
    render(AddGrantForm, { policy, onadd: (op: AddOperation) => added.push(op) });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Choose a user or group/);
    const principal = screen.getByRole('combobox', { name: 'Principal' });
    await fireEvent.input(principal, { target: { value: 'Dev' } });
    await fireEvent.keyDown(principal, { key: 'ArrowDown' });
    await fireEvent.keyDown(principal, { key: 'Enter' });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert').textContent).toMatch(/Choose the task/);
    expect(added).toEqual([]);
  });
});
