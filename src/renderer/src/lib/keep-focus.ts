// Focus never falls to <body>. Chromium drops the focus to <body> when the focused control is
// removed (a card or a confirmation closing) or disabled (a button busy while its action runs),
// and a keyboard user then starts again from the top of the page. keepFocusWithin() catches
// that on a container (the main area): the container takes the focus, and a control that was
// only disabled gets it back once enabled, unless the focus has moved on meanwhile.

/** Attaches the guard to `container` (which needs tabindex="-1"); returns its removal. */
export function keepFocusWithin(container: HTMLElement): () => void {
  let waiting: MutationObserver | null = null;

  function onFocusOut(event: FocusEvent): void {
    const lost = event.target;
    // Focus moving to another control, or the container itself losing it, is none of ours.
    if (event.relatedTarget !== null || !(lost instanceof HTMLElement) || lost === container) {
      return;
    }
    // The focus is settled once the event is over: look then, before the next task.
    queueMicrotask(() => {
      const active = document.activeElement;
      if (active !== null && active !== document.body) return;
      const disabled = lost.isConnected && lost.matches(':disabled');
      // Still there and enabled: the window lost the focus, or a click on nothing.
      if (lost.isConnected && !disabled) return;
      container.focus({ preventScroll: true });
      if (disabled) returnWhenEnabled(lost);
    });
  }

  function returnWhenEnabled(control: HTMLElement): void {
    waiting?.disconnect();
    waiting = new MutationObserver(() => {
      if (control.matches(':disabled')) return;
      waiting?.disconnect();
      waiting = null;
      if (document.activeElement === container && control.isConnected) control.focus();
    });
    waiting.observe(control, { attributes: true, attributeFilter: ['disabled'] });
  }

  container.addEventListener('focusout', onFocusOut);
  return () => {
    container.removeEventListener('focusout', onFocusOut);
    waiting?.disconnect();
  };
}
