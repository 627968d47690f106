// The focus guard of the main area, with the focusout Chromium sends when the focused control
// is removed or disabled (jsdom sends none, so the test sends it as Chromium does).
import { afterEach, describe, expect, it } from 'vitest';
import { keepFocusWithin } from './keep-focus';

function setUp() {
  const main = document.body.appendChild(document.createElement('main'));
  main.tabIndex = -1;
  main.innerHTML = '<button id="pull">Pull</button><button id="other">Other</button>';
  const release = keepFocusWithin(main);
  const button = (id: string) => document.getElementById(id) as HTMLButtonElement;
  return { main, release, button };
}

/**
 * What Chromium does as the focused control goes: a focusout with no next target, sent while
 * the control is still in the tree, and <body> focused; then the change is done.
 */
function dropFocus(control: HTMLElement, change: () => void): void {
  control.blur();
  control.dispatchEvent(new FocusEvent('focusout', { bubbles: true, relatedTarget: null }));
  change();
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 5));

afterEach(() => {
  document.body.innerHTML = '';
});

describe('keepFocusWithin', () => {
  it('gives the focus to the container when the focused control is removed', async () => {
    const { main, button } = setUp();
    const pull = button('pull');
    pull.focus();
    dropFocus(pull, () => pull.remove());
    expect(document.activeElement).toBe(document.body);
    await settled();
    expect(document.activeElement).toBe(main);
  });

  it('gives it back to a control that was disabled while busy, once enabled again', async () => {
    const { main, button } = setUp();
    const pull = button('pull');
    pull.focus();
    dropFocus(pull, () => (pull.disabled = true));
    await settled();
    expect(document.activeElement).toBe(main);
    pull.disabled = false;
    await settled();
    expect(document.activeElement).toBe(pull);
  });

  it('leaves the focus where the user moved it meanwhile', async () => {
    const { button } = setUp();
    const pull = button('pull');
    pull.focus();
    dropFocus(pull, () => (pull.disabled = true));
    await settled();
    button('other').focus();
    pull.disabled = false;
    await settled();
    expect(document.activeElement).toBe(button('other'));
  });

  it('does nothing when an enabled control loses the focus to nothing (the window blurred)', async () => {
    const { button } = setUp();
    const pull = button('pull');
    pull.focus();
    dropFocus(pull, () => undefined);
    await settled();
    expect(document.activeElement).toBe(document.body);
  });

  it('stops once released', async () => {
    const { release, button } = setUp();
    release();
    const pull = button('pull');
    pull.focus();
    dropFocus(pull, () => pull.remove());
    await settled();
    expect(document.activeElement).toBe(document.body);
  });
});
