// Per-user rows for the compiled evaluator, prepared on each user's first check. A row is 32
// fields: at the catalog's 21 attributes and 16-bit fields, one 64-byte cache line holding
// everything a check on a feed without entries for the user needs (see compile.ts). Tables
// per user and feed would not fit the cache at 20,000 users; these rows (1.3 MB at L) do.
import { ATTRIBUTES } from './catalog';
import type { Verdict } from './model';
import type { Layout } from './compiled-layout';
import type { EntryIndex } from './compiled-entries';
import { NO_GRANT } from './tier-table';

const BITS = ATTRIBUTES.length;
// Fields 0..BITS-1: per attribute, the decider id at system scope (own global grants, then
// their groups'); 0 is "no grant".
/** Attributes the user's own global grants decide: low and high 16 bits. */
export const R_OWN_LO = BITS;
export const R_OWN_HI = BITS + 1;
/** READY once prepared, GROUPS_INLINE when the group ordinals are in the row. */
export const R_FLAGS = BITS + 2;
/** Filters of the feed and feed-group ids the user's own entries name: bit (id & 15). */
export const R_OWN_FEEDS = BITS + 3;
export const R_OWN_FEED_GROUPS = BITS + 4;
export const R_GROUP_COUNT = BITS + 5;
/** The ordinals of the user's group views (EntryIndex), when there are at most INLINE_GROUPS. */
export const R_GROUP = BITS + 6;
const INLINE_GROUPS = 3;
export const STRIDE = (R_GROUP + INLINE_GROUPS + 15) & ~15;
export const READY = 1;
export const GROUPS_INLINE = 2;
export const NO_DECIDER = 0;

export type UserRows = ReturnType<typeof userRows>;

/** `wide` keeps 32-bit fields, which policies with 65,535 or more grants or group views need. */
export function userRows(layout: Layout, entries: EntryIndex, noDecision: Verdict, wide: boolean) {
  const { table, own, from, to, views, explicitVerdicts } = layout;
  const userCount = own.length;
  const rows = wide ? new Uint32Array(userCount * STRIDE) : new Uint16Array(userCount * STRIDE);
  const inlineGroups = wide || entries.groupViewCount <= 0xffff;

  // Decider ids: few distinct grants decide at system scope (10,000 of 50,000 at L), so
  // their verdicts, side by side in one dense table, stay in cache.
  const deciderOf = new Int32Array(layout.grantCount).fill(-1);
  const deciderGrant: number[] = [NO_GRANT];
  const deciderVerdict: Verdict[] = [noDecision];
  const deciderId = (grant: number, verdicts: readonly Verdict[]): number => {
    if (grant === NO_GRANT) return NO_DECIDER;
    let id = deciderOf[grant] as number;
    if (id < 0) {
      id = deciderOf[grant] = deciderGrant.push(grant) - 1;
      deciderVerdict.push(verdicts[grant] as Verdict);
    }
    return id;
  };

  const ownGlobal = (view: number, bit: number): number => {
    if (table.globalDeny(view) & bit) return table.firstInGlobal(view, bit, true);
    if (table.globalAllow(view) & bit) return table.firstInGlobal(view, bit, false);
    return NO_GRANT;
  };
  /** The global tier across the user's group views: any restriction beats any permission, then policy order. */
  const groupGlobal = (uid: number, bit: number): number => {
    let best = NO_GRANT;
    let bestDeny = false;
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      if (table.globalDeny(view) & bit) {
        const g = table.firstInGlobal(view, bit, true);
        if (!bestDeny || g < best) {
          best = g;
          bestDeny = true;
        }
      } else if (!bestDeny && table.globalAllow(view) & bit) {
        const g = table.firstInGlobal(view, bit, false);
        if (best === NO_GRANT || g < best) best = g;
      }
    }
    return best;
  };

  const prepare = (uid: number): void => {
    const verdicts = explicitVerdicts();
    const r = uid * STRIDE;
    const ownView = own[uid] as number;
    let ownMask = 0;
    for (let b = 0; b < BITS; b++) {
      const mine = ownView >= 0 ? ownGlobal(ownView, 1 << b) : NO_GRANT;
      if (mine !== NO_GRANT) ownMask |= 1 << b;
      rows[r + b] = deciderId(mine !== NO_GRANT ? mine : groupGlobal(uid, 1 << b), verdicts);
    }
    rows[r + R_OWN_LO] = ownMask & 0xffff;
    rows[r + R_OWN_HI] = ownMask >>> 16;
    let feedFilter = 0;
    let groupFilter = 0;
    if (ownView >= 0) {
      for (let e = table.entriesFrom(ownView, 0); e < table.entriesTo(ownView, 0); e++)
        feedFilter |= 1 << (table.entryKey(e) & 15);
      for (let e = table.entriesFrom(ownView, 1); e < table.entriesTo(ownView, 1); e++)
        groupFilter |= 1 << (table.entryKey(e) & 15);
    }
    rows[r + R_OWN_FEEDS] = feedFilter;
    rows[r + R_OWN_FEED_GROUPS] = groupFilter;
    const first = from[uid] as number;
    const count = (to[uid] as number) - first;
    let flags = READY;
    if (inlineGroups && count <= INLINE_GROUPS) {
      flags |= GROUPS_INLINE;
      rows[r + R_GROUP_COUNT] = count;
      for (let j = 0; j < count; j++)
        rows[r + R_GROUP + j] = entries.groupOrdinal[views[first + j] as number] as number;
    }
    rows[r + R_FLAGS] = flags;
  };

  return { rows, prepare, deciderGrant, deciderVerdict };
}
