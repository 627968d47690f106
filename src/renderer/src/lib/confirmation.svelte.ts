// A destructive action waiting for its confirmation in place (a connection's removal, a feed's
// deletion): what is pending, and the focus. The confirmation takes the focus itself; keeping
// (Keep it, or Escape) gives it back to the control that asked.
import { tick } from 'svelte';

export class Confirmation<T> {
  pending = $state<T | null>(null);
  #opener: HTMLElement | null = null;

  /** Asks to confirm `value`, remembering the focused control to return to. */
  ask(value: T): void {
    this.pending = value;
    this.#opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  }

  /** Confirmed: the pending value, once (null when nothing was pending). */
  take(): T | null {
    const value = this.pending;
    this.pending = null;
    return value;
  }

  /** Not confirmed: nothing happens and the focus goes back to the asking control. */
  async keep(): Promise<void> {
    this.pending = null;
    await tick();
    this.#opener?.focus();
  }

  /** For the confirmation's buttons: Escape keeps. */
  readonly keepOnEscape = (event: KeyboardEvent): void => {
    if (event.key === 'Escape') void this.keep();
  };
}
