// The access matrix's cells as the renderer knows them: blocks of the matrix asked of the back
// end (access:matrix) as they come into view and kept, so scrolling back costs nothing. A new
// question (rows, subject or filter) starts empty; a new state of the same policy (a draft
// edit) keeps showing the cells it has, marked stale, until each block's new answer arrives.
import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { ChannelArgs, ChannelResult } from '../../../shared/app-api';
import { blocksCovering, FEED_BLOCK, ROW_BLOCK, type CellState } from './access-matrix';

type WindowArgs = ChannelArgs<'access:matrix'>;
/** What the matrix shows: everything but the window. */
export type MatrixQuestion = Omit<WindowArgs, 'rows' | 'feeds'>;
type Window = ChannelResult<'access:matrix'>;

interface Block {
  cells: CellState[][];
  /** The policy state it was answered for. */
  generation: number;
}

const blockKey = (row: number, feed: number) => `${row}:${feed}`;

export class MatrixCells {
  totalPrincipals = $state(0);
  totalFeeds = $state(0);
  /** Why the back end could not answer (an unknown task), or a failure with what to do next. */
  error = $state<string | null>(null);
  /** Blocks asked and not answered yet. */
  pending = $state(0);
  readonly #blocks = new SvelteMap<string, Block>();
  /** The row labels by row block, the feed names by feed block. */
  readonly #principals = new SvelteMap<number, string[]>();
  readonly #feeds = new SvelteMap<number, string[]>();
  #question: MatrixQuestion | null = null;
  #generation = $state(0);
  /** Goes up with each reset: what was asked before is to be asked again. */
  get generation(): number {
    return this.#generation;
  }
  /** Blocks asked in this generation (answered or not). */
  readonly #asked = new SvelteSet<string>();

  constructor(private readonly ask: (args: WindowArgs) => Promise<Window>) {}

  /**
   * Starts over on `question`. `keep`: the same question of a new state of the policy, so
   * the cells known stay shown until their new answers arrive.
   */
  reset(question: MatrixQuestion, keep: boolean): void {
    this.#question = question;
    this.#generation++;
    this.#asked.clear();
    this.pending = 0;
    if (!keep) {
      this.#blocks.clear();
      this.#principals.clear();
      this.#feeds.clear();
      this.error = null;
    }
  }

  /** Asks for the blocks that cover the rows and feeds in view that this state has not asked. */
  show(rows: { first: number; last: number }, feeds: { first: number; last: number }): void {
    for (const block of blocksCovering(rows, feeds)) {
      const key = blockKey(block.row, block.feed);
      if (this.#asked.has(key)) continue;
      this.#asked.add(key);
      void this.#fetch(block.row, block.feed);
    }
  }

  async #fetch(row: number, feed: number): Promise<void> {
    const question = this.#question;
    if (question === null) return;
    const generation = this.#generation;
    this.pending++;
    try {
      const answer = await this.ask({
        ...question,
        rows: { offset: row * ROW_BLOCK, limit: ROW_BLOCK },
        feeds: { offset: feed * FEED_BLOCK, limit: FEED_BLOCK },
      });
      if (generation !== this.#generation) return;
      this.totalPrincipals = answer.totalPrincipals;
      this.totalFeeds = answer.totalFeeds;
      this.error = answer.errors.length > 0 ? `${answer.errors.join('; ')}: choose again.` : null;
      this.#principals.set(row, answer.principals);
      this.#feeds.set(feed, answer.feeds);
      this.#blocks.set(blockKey(row, feed), { cells: answer.cells, generation });
    } catch (e) {
      if (generation !== this.#generation) return;
      // Asked again when it comes into view again.
      this.#asked.delete(blockKey(row, feed));
      this.error = `${e instanceof Error ? e.message : String(e)}. Check the connection, then scroll or choose again.`;
    } finally {
      if (generation === this.#generation) this.pending--;
    }
  }

  principal(row: number): string | undefined {
    return this.#principals.get(Math.floor(row / ROW_BLOCK))?.[row % ROW_BLOCK];
  }

  feed(column: number): string | undefined {
    return this.#feeds.get(Math.floor(column / FEED_BLOCK))?.[column % FEED_BLOCK];
  }

  /** The cell's state (undefined: not answered yet) and whether it is from an older state. */
  cell(row: number, column: number): { state: CellState | undefined; stale: boolean } {
    const block = this.#blocks.get(
      blockKey(Math.floor(row / ROW_BLOCK), Math.floor(column / FEED_BLOCK)),
    );
    return {
      state: block?.cells[row % ROW_BLOCK]?.[column % FEED_BLOCK],
      stale: block !== undefined && block.generation !== this.#generation,
    };
  }
}
