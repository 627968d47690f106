// Feed and feed-group entries for the compiled evaluator's hot path: per entry, the grant that
// decides each feed-scoped attribute within it, and an index of the views that users reach
// through their groups. A check on a feed that some view of the user has an entry for reads
// one record per view instead of scanning the entry's grants (see compile.ts).
import { ATTRIBUTES } from './catalog';
import type { Layout } from './compiled-layout';
import { NO_GRANT } from './tier-table';

/** Bit mask of the attributes that may be granted at feed or feed-group scope. */
export const FEED_SCOPED_MASK = ATTRIBUTES.reduce(
  (m, a, i) => (a.feedScoped ? m | (1 << i) : m),
  0,
);
/** Per attribute bit: its position among the feed-scoped attributes, or -1. */
export const FEED_SCOPED_ORDINAL = Int32Array.from(ATTRIBUTES, (a, i) =>
  a.feedScoped ? ATTRIBUTES.slice(0, i).filter((b) => b.feedScoped).length : -1,
);
const FEED_SCOPED_BITS = ATTRIBUTES.flatMap((a, i) => (a.feedScoped ? [i] : []));
/** Record of an entry: its deny mask, then a decider per feed-scoped attribute; 64 bytes. */
export const RECORD = (1 + FEED_SCOPED_BITS.length + 15) & ~15;

export type EntryIndex = ReturnType<typeof indexEntries>;

export function indexEntries(layout: Layout) {
  const { table, views, touches, words } = layout;

  // Per entry: the deny mask, then per feed-scoped attribute the grant that decides within
  // the entry (its first restriction meeting the attribute, else its first permission).
  const entryCount = table.entryCount;
  const records = new Int32Array(entryCount * RECORD);
  for (let e = 0; e < entryCount; e++) {
    const o = e * RECORD;
    const deny = table.entryDeny(e);
    const allow = table.entryAllow(e);
    records[o] = deny;
    FEED_SCOPED_BITS.forEach((b, k) => {
      const bit = 1 << b;
      records[o + 1 + k] =
        deny & bit
          ? table.firstInEntry(e, bit, true)
          : allow & bit
            ? table.firstInEntry(e, bit, false)
            : NO_GRANT;
    });
  }

  // Group views (the views users reach through their direct groups) by ordinal: a thousand
  // groups are shared by 20,000 users, so their feed bits and entry ranges stay in cache.
  const groupOrdinal = new Int32Array(table.viewCount).fill(-1);
  const groupViews: number[] = [];
  for (const v of views) if (groupOrdinal[v] === -1) groupOrdinal[v] = groupViews.push(v) - 1;
  const groupTouches = new Int32Array(groupViews.length * words);
  /** Per ordinal: the view's feed entries [from, to), then its feed-group entries [from, to). */
  const groupRanges = new Int32Array(groupViews.length * 4);
  groupViews.forEach((v, ord) => {
    groupTouches.set(touches.subarray(v * words, (v + 1) * words), ord * words);
    groupRanges[ord * 4] = table.entriesFrom(v, 0);
    groupRanges[ord * 4 + 1] = table.entriesTo(v, 0);
    groupRanges[ord * 4 + 2] = table.entriesFrom(v, 1);
    groupRanges[ord * 4 + 3] = table.entriesTo(v, 1);
  });

  return {
    records,
    groupOrdinal,
    groupViewCount: groupViews.length,
    groupTouches,
    groupRanges,
  };
}
