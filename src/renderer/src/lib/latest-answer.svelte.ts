// One question to the back end at a time, as the user sees it: the answer to the latest
// question only (an older answer arriving late is dropped), a busy flag, and a failure in one
// line with what to do next. `asked` keeps the last question, so a screen can ask it again
// when the policy changes.
export class LatestAnswer<Q, A> {
  answer = $state.raw<{ question: Q; result: A } | null>(null);
  asked = $state.raw<Q | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);
  #sequence = 0;

  constructor(
    private readonly ask: (question: Q) => Promise<A>,
    private readonly nextStep = 'Check the connection, then search again.',
  ) {}

  async run(question: Q): Promise<void> {
    const mine = ++this.#sequence;
    this.asked = question;
    this.busy = true;
    try {
      const result = await this.ask(question);
      if (mine !== this.#sequence) return;
      this.answer = { question, result };
      this.error = null;
    } catch (e) {
      if (mine !== this.#sequence) return;
      this.error = `${e instanceof Error ? e.message : String(e)}. ${this.nextStep}`;
    } finally {
      if (mine === this.#sequence) this.busy = false;
    }
  }

  /** Asks the last question again (the policy it was about changed). */
  refresh(): void {
    if (this.asked !== null) void this.run(this.asked);
  }
}
