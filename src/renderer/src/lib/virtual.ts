// Shared settings for @tanstack/svelte-virtual lists. An element with no size (a hidden
// screen, or jsdom in component tests, which does no layout) would give the virtualizer an
// empty window and so no rows at all; such a measurement falls back to an assumed viewport.
import { observeElementRect, type Rect, type Virtualizer } from '@tanstack/svelte-virtual';

export const ASSUMED_RECT: Rect = { width: 960, height: 480 };

export function observeRectOrAssume<S extends Element, I extends Element>(
  instance: Virtualizer<S, I>,
  callback: (rect: Rect) => void,
): void | (() => void) {
  return observeElementRect(instance, (rect) =>
    callback(rect.width > 0 && rect.height > 0 ? rect : ASSUMED_RECT),
  );
}
