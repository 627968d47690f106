// The access matrix's pure helpers: which blocks of cells cover the rows and feeds in view
// (what the renderer asks the back end for), and the subject a choice asks about.
import { describe, expect, it } from 'vitest';
import { blocksCovering, FEED_BLOCK, ROW_BLOCK, subjectOf } from './access-matrix';

describe('blocksCovering', () => {
  it('is one block while the view stays inside it', () => {
    expect(
      blocksCovering({ first: 0, last: ROW_BLOCK - 1 }, { first: 0, last: FEED_BLOCK - 1 }),
    ).toEqual([{ row: 0, feed: 0 }]);
  });

  it('takes every block a view straddles, rows then feeds', () => {
    expect(
      blocksCovering(
        { first: ROW_BLOCK - 1, last: ROW_BLOCK },
        { first: 2 * FEED_BLOCK - 1, last: 2 * FEED_BLOCK },
      ),
    ).toEqual([
      { row: 0, feed: 1 },
      { row: 0, feed: 2 },
      { row: 1, feed: 1 },
      { row: 1, feed: 2 },
    ]);
  });
});

describe('subjectOf', () => {
  it('reads an attribute, or a task whose name may hold colons', () => {
    expect(subjectOf('attribute:Feeds_AddPackage')).toEqual({ attribute: 'Feeds_AddPackage' });
    expect(subjectOf('task:Release: final')).toEqual({ task: 'Release: final' });
  });
});
