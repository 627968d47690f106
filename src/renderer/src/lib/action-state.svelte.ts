// Busy flags and errors per action of a screen's store (API keys, Audit): each action shows
// its own progress and its own failure where its button is.

/**
 * Busy flags and errors per action, for a store bound to one connection at a time: `run`
 * does one action, and a failure becomes that action's error with what to do next.
 */
export class ActionState<A extends string> {
  busy = $state<Partial<Record<A, boolean>>>({});
  errors = $state<Partial<Record<A, string>>>({});

  #nextSteps: Partial<Record<A, string>>;

  constructor(nextSteps: Partial<Record<A, string>>) {
    this.#nextSteps = nextSteps;
  }

  async run<T>(action: A, work: () => Promise<T>): Promise<T | null> {
    this.busy[action] = true;
    delete this.errors[action];
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const next = this.#nextSteps[action];
      this.errors[action] = next ? `${message}. ${next}` : message;
      return null;
    } finally {
      this.busy[action] = false;
    }
  }
}
