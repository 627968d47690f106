// Whole-mask evaluation over a compiled layout: every attribute's outcome for a user on a
// feed at once, and every feed at once. Used for bulk comparisons such as the access diff.
import type { Layout } from './compiled-layout';
import { SLOTS } from './compiled-layout';

export interface MaskFolder {
  maskAt(uid: number, feed: number, owner: boolean): number;
  allowedMasks(uid: number): { system: number; feeds: Int32Array; touched: Uint8Array };
}

export function maskFolder(layout: Layout, feedGroupCount: number): MaskFolder {
  const { table, own, from, to, views, feedGroupOf, implicitMask, anonymousUid, feedCount } =
    layout;
  // Mask folding: tiers in order, whole masks at once. The state lives here rather than in
  // closures so that bulk callers (the access diff) allocate nothing per fold.
  let decided = 0;
  let allowed = 0;
  const fold = (deny: number, allow: number): void => {
    allowed |= allow & ~deny & ~decided;
    decided |= deny | allow;
  };
  const foldEntry = (view: number, scope: 0 | 1, key: number): void => {
    const e = table.entry(view, scope, key);
    if (e >= 0) fold(table.entryDeny(e), table.entryAllow(e));
  };
  const foldGroups = (uid: number, scope: 0 | 1 | 2, key: number): void => {
    let deny = 0;
    let allow = 0;
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      if (scope === 2) {
        deny |= table.globalDeny(view);
        allow |= table.globalAllow(view);
      } else {
        const e = table.entry(view, scope, key);
        if (e < 0) continue;
        deny |= table.entryDeny(e);
        allow |= table.entryAllow(e);
      }
    }
    fold(deny, allow);
  };

  function maskAt(uid: number, feed: number, owner: boolean): number {
    decided = 0;
    allowed = 0;
    const ownView = own[uid] as number;
    const feedGroup = feed >= 0 ? (feedGroupOf[feed] as number) : -1;
    if (ownView >= 0) {
      if (feed >= 0) foldEntry(ownView, 0, feed);
      if (feedGroup >= 0) foldEntry(ownView, 1, feedGroup);
      fold(table.globalDeny(ownView), table.globalAllow(ownView));
    }
    if (feed >= 0) {
      foldGroups(uid, 0, feed);
      const slot = feed * SLOTS;
      fold(0, implicitMask[slot] as number);
      if (uid !== anonymousUid) {
        fold(0, implicitMask[slot + 1] as number);
        if (owner) fold(0, implicitMask[slot + 2] as number);
      }
      if (feedGroup >= 0) foldGroups(uid, 1, feedGroup);
    }
    foldGroups(uid, 2, -1);
    return allowed;
  }

  // Scratch for allowedMasks: per feed and per feed group, the user's own and group tiers.
  const scratch = {
    ownFeed: new Int32Array(feedCount * 2),
    groupFeed: new Int32Array(feedCount * 2),
    ownFeedGroup: new Int32Array(feedGroupCount * 2),
    groupFeedGroup: new Int32Array(feedGroupCount * 2),
  };
  /** Adds a view's feed and feed-group entries into scratch (deny at 2k, allow at 2k+1). */
  const load = (view: number, feedTiers: Int32Array, groupTiers: Int32Array): void => {
    for (const [scope, target] of [
      [0, feedTiers],
      [1, groupTiers],
    ] as const) {
      for (
        let e = table.entriesFrom(view, scope), end = table.entriesTo(view, scope);
        e < end;
        e++
      ) {
        const k = table.entryKey(e) * 2;
        target[k] = (target[k] as number) | table.entryDeny(e);
        target[k + 1] = (target[k + 1] as number) | table.entryAllow(e);
      }
    }
  };

  /** Every feed's mask in one sweep: the user's entries are spread into per-feed arrays first. */
  function allowedMasks(uid: number): { system: number; feeds: Int32Array; touched: Uint8Array } {
    const ownView = own[uid] as number;
    const { ownFeed, groupFeed, ownFeedGroup, groupFeedGroup } = scratch;
    ownFeed.fill(0);
    groupFeed.fill(0);
    ownFeedGroup.fill(0);
    groupFeedGroup.fill(0);
    let ownDeny = 0;
    let ownAllow = 0;
    let groupDeny = 0;
    let groupAllow = 0;
    if (ownView >= 0) {
      load(ownView, ownFeed, ownFeedGroup);
      ownDeny = table.globalDeny(ownView);
      ownAllow = table.globalAllow(ownView);
    }
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      load(view, groupFeed, groupFeedGroup);
      groupDeny |= table.globalDeny(view);
      groupAllow |= table.globalAllow(view);
    }
    const signedIn = uid !== anonymousUid;
    const masks = new Int32Array(feedCount);
    const touched = new Uint8Array(feedCount);
    for (let f = 0; f < feedCount; f++) {
      // The fold of maskAt, written out: this loop runs for every feed of every user a diff reaches.
      const fg = (feedGroupOf[f] as number) * 2;
      const ofD = ownFeed[f * 2] as number;
      const ofA = ownFeed[f * 2 + 1] as number;
      const gfD = groupFeed[f * 2] as number;
      const gfA = groupFeed[f * 2 + 1] as number;
      const ogD = fg >= 0 ? (ownFeedGroup[fg] as number) : 0;
      const ogA = fg >= 0 ? (ownFeedGroup[fg + 1] as number) : 0;
      const ggD = fg >= 0 ? (groupFeedGroup[fg] as number) : 0;
      const ggA = fg >= 0 ? (groupFeedGroup[fg + 1] as number) : 0;
      if ((ofD | ofA | gfD | gfA | ogD | ogA | ggD | ggA) !== 0) touched[f] = 1;
      let d = ofD | ofA;
      let a = ofA & ~ofD;
      a |= ogA & ~ogD & ~d;
      d |= ogD | ogA;
      a |= ownAllow & ~ownDeny & ~d;
      d |= ownDeny | ownAllow;
      a |= gfA & ~gfD & ~d;
      d |= gfD | gfA;
      const implicit =
        (implicitMask[f * SLOTS] as number) |
        (signedIn ? (implicitMask[f * SLOTS + 1] as number) : 0);
      a |= implicit & ~d;
      d |= implicit;
      a |= ggA & ~ggD & ~d;
      d |= ggD | ggA;
      a |= groupAllow & ~groupDeny & ~d;
      masks[f] = a;
    }
    decided = 0;
    allowed = 0;
    fold(ownDeny, ownAllow);
    fold(groupDeny, groupAllow);
    return { system: allowed, feeds: masks, touched };
  }

  return { maskAt, allowedMasks };
}
