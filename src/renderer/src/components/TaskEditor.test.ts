// The task editor over the real catalog and lintTask: attributes grouped by category, live
// lint findings while ticking boxes, built-in tasks read-only, the edited task emitted.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, BUILT_IN_TASKS, type PolicyTask } from '../../../core/index';
import { expectNoSeriousViolations } from '../testing/axe';
import TaskEditor from './TaskEditor.svelte';

const uploader: PolicyTask = {
  name: 'Uploader',
  description: 'Adds packages',
  attributes: ['Feeds_ViewFeed', 'Feeds_AddPackage'],
};

const box = (id: string) => screen.getByRole('checkbox', { name: new RegExp(`^${id}`) });
const lintRegion = () => screen.getByRole('region', { name: /lint findings/i });

describe('TaskEditor', () => {
  it('groups every catalog attribute by category and marks the feed-scopable ones', async () => {
    const { container } = render(TaskEditor, { task: uploader });
    const groups = screen.getAllByRole('group');
    expect(groups.map((g) => g.querySelector('legend')?.textContent)).toEqual([
      ...new Set(ATTRIBUTES.map((a) => a.category)),
    ]);
    expect(screen.getAllByRole('checkbox')).toHaveLength(ATTRIBUTES.length);
    const feeds = screen.getByRole('group', { name: 'Feeds' });
    expect(within(feeds).getAllByText('feed')).toHaveLength(
      ATTRIBUTES.filter((a) => a.category === 'Feeds' && a.feedScoped).length,
    );
    const projects = screen.getByRole('group', { name: 'Projects' });
    expect(within(projects).queryByText('feed')).toBeNull();
    expect((box('Feeds_AddPackage') as HTMLInputElement).checked).toBe(true);
    expect((box('Feeds_DeletePackage') as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText('Grantable per feed')).toBeTruthy();
    await expectNoSeriousViolations(container);
  });

  it('shows lint findings live as boxes are ticked and unticked', async () => {
    render(TaskEditor, { task: uploader });
    expect(within(lintRegion()).getByText(/No hazards/)).toBeTruthy();

    await fireEvent.click(box('Feeds_DeletePackage'));
    expect(within(lintRegion()).getByText('permission-by-proxy')).toBeTruthy();
    expect(within(lintRegion()).getByText(/Feeds_OverwritePackage/)).toBeTruthy();

    await fireEvent.click(box('Feeds_OverwritePackage'));
    expect(within(lintRegion()).queryByText('permission-by-proxy')).toBeNull();

    await fireEvent.click(box('Feeds_ViewFeed'));
    expect(within(lintRegion()).getByText('nonsensical-access')).toBeTruthy();
    expect(screen.getByText('Grantable per feed')).toBeTruthy();

    await fireEvent.click(box('Projects_View'));
    expect(screen.getByText('System scope only')).toBeTruthy();
  });

  it('emits the edited task with its attributes in catalog order, and resets', async () => {
    const saved: PolicyTask[] = [];
    render(TaskEditor, { task: uploader, onsave: (t: PolicyTask) => saved.push(t) });
    const save = screen.getByRole('button', { name: 'Save task' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    await fireEvent.click(box('Feeds_OverwritePackage'));
    await fireEvent.click(box('Feeds_DeletePackage'));
    await fireEvent.click(box('Feeds_ViewFeed'));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Description' }), {
      target: { value: 'Adds and replaces packages' },
    });
    expect(save.disabled).toBe(false);
    await fireEvent.click(save);
    expect(saved).toEqual([
      {
        name: 'Uploader',
        description: 'Adds and replaces packages',
        attributes: ['Feeds_AddPackage', 'Feeds_DeletePackage', 'Feeds_OverwritePackage'],
      },
    ]);

    await fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    expect((box('Feeds_ViewFeed') as HTMLInputElement).checked).toBe(true);
    expect((box('Feeds_DeletePackage') as HTMLInputElement).checked).toBe(false);
    expect(save.disabled).toBe(true);
  });

  it('marks a built-in task and keeps it read-only', async () => {
    const promote = BUILT_IN_TASKS.find((t) => t.name === 'Promote Packages');
    if (!promote) throw new Error('the catalog lost Promote Packages');
    const { container } = render(TaskEditor, {
      task: { ...promote, attributes: [...promote.attributes] },
    });
    expect(screen.getByText(/Built-in · read-only/)).toBeTruthy();
    expect(screen.getAllByRole('checkbox').every((b) => (b as HTMLInputElement).disabled)).toBe(
      true,
    );
    expect(screen.queryByRole('button', { name: 'Save task' })).toBeNull();
    expect(
      (screen.getByRole('textbox', { name: 'Description' }) as HTMLInputElement).readOnly,
    ).toBe(true);
    await expectNoSeriousViolations(container);
  });
});
