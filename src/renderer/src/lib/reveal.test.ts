// reveal scrolls an error into view as it appears, no further than needed; jsdom, which has no
// scrollIntoView, is left alone.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reveal } from './reveal';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

describe('reveal', () => {
  it('scrolls the node into view, nearest edge', () => {
    const node = document.body.appendChild(document.createElement('p'));
    const scroll = vi.fn();
    node.scrollIntoView = scroll;
    reveal(node);
    expect(scroll).toHaveBeenCalledWith({ block: 'nearest' });
  });

  it('does nothing where scrollIntoView does not exist', () => {
    const node = document.body.appendChild(document.createElement('p'));
    expect(node.scrollIntoView).toBeUndefined();
    expect(() => reveal(node)).not.toThrow();
  });
});
