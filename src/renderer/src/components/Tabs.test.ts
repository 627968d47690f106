// The tab list: one tab stop, arrows (wrapping), Home and End move and select; the panel is
// labelled by the selected tab and renders its content.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import { expectNoSeriousViolations } from '../testing/axe';
import Tabs from './Tabs.svelte';

const TABS = [
  { id: 'matrix', label: 'Matrix' },
  { id: 'who', label: 'Who can …' },
  { id: 'what', label: 'What can … do' },
];
const panel = createRawSnippet((selected: () => string) => ({
  render: () => `<p>Panel of ${selected()}</p>`,
}));

describe('Tabs', () => {
  it('moves and selects with the keyboard, one tab stop at a time', async () => {
    const { container } = render(Tabs, {
      label: 'Access screen',
      tabs: TABS,
      selected: 'matrix',
      children: panel,
    });
    const tab = (name: string) => screen.getByRole('tab', { name });
    expect(tab('Matrix').getAttribute('aria-selected')).toBe('true');
    expect(screen.getAllByRole('tab').map((t) => t.getAttribute('tabindex'))).toEqual([
      '0',
      '-1',
      '-1',
    ]);
    expect(screen.getByRole('tabpanel', { name: 'Matrix' }).textContent).toBe('Panel of matrix');

    await fireEvent.keyDown(tab('Matrix'), { key: 'ArrowRight' });
    expect(tab('Who can …').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab('Who can …'));
    expect(screen.getByRole('tabpanel', { name: 'Who can …' })).toBeTruthy();
    await fireEvent.keyDown(tab('Who can …'), { key: 'End' });
    expect(document.activeElement).toBe(tab('What can … do'));
    await fireEvent.keyDown(tab('What can … do'), { key: 'ArrowRight' }); // wraps
    expect(document.activeElement).toBe(tab('Matrix'));
    await fireEvent.keyDown(tab('Matrix'), { key: 'ArrowLeft' }); // wraps back
    expect(tab('What can … do').getAttribute('aria-selected')).toBe('true');
    await fireEvent.keyDown(tab('What can … do'), { key: 'Home' });
    expect(tab('Matrix').getAttribute('aria-selected')).toBe('true');
    await fireEvent.click(tab('Who can …'));
    expect(screen.getByRole('tabpanel', { name: 'Who can …' })).toBeTruthy();
    await expectNoSeriousViolations(container);
  });
});
