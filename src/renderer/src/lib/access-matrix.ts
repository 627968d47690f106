// The access matrix's choices and labels: what it can show (a feed-scoped attribute or a
// feed-scopable task) and what each cell state means. The cells themselves are computed by
// the back end (access:matrix), a window at a time: see access-matrix.svelte.ts.
import { ATTRIBUTES, isFeedScopableTask, type Policy } from '../../../core/index';
import type { AccessSubject } from '../../../core/access-search';
import type { CellState, MatrixMode } from '../../../core/access-matrix';

export type { CellState, MatrixMode };

export interface MatrixSubject {
  /** `attribute:<id>` or `task:<name>`. */
  id: string;
  label: string;
}

export function matrixSubjects(policy: Policy): MatrixSubject[] {
  return [
    ...ATTRIBUTES.filter((a) => a.feedScoped).map((a) => ({
      id: `attribute:${a.id}`,
      label: a.id,
    })),
    ...policy.tasks
      .filter((t) => t.attributes.length > 0 && isFeedScopableTask(t.attributes))
      .map((t) => ({ id: `task:${t.name}`, label: `Task: ${t.name}` })),
  ];
}

/** The subject a matrix subject id asks the back end about. */
export function subjectOf(id: string): AccessSubject {
  const at = id.indexOf(':');
  const name = id.slice(at + 1);
  return id.slice(0, at) === 'task' ? { task: name } : { attribute: name };
}

export const CELL_LABEL: Readonly<Record<CellState, string>> = {
  allow: 'Allowed',
  deny: 'Denied by a restriction',
  implicit: 'Allowed by the feed access type',
  none: 'No grant (denied by default)',
  partial: 'Partly allowed',
};

/** The matrix is asked for in blocks of this many rows × feeds (a screenful or two). */
export const ROW_BLOCK = 50;
export const FEED_BLOCK = 20;

/** The blocks that cover rows first..last and feeds first..last (inclusive), row-major. */
export function blocksCovering(
  rows: { first: number; last: number },
  feeds: { first: number; last: number },
): { row: number; feed: number }[] {
  const blocks: { row: number; feed: number }[] = [];
  for (let r = Math.floor(rows.first / ROW_BLOCK); r <= Math.floor(rows.last / ROW_BLOCK); r++)
    for (
      let f = Math.floor(feeds.first / FEED_BLOCK);
      f <= Math.floor(feeds.last / FEED_BLOCK);
      f++
    )
      blocks.push({ row: r, feed: f });
  return blocks;
}
