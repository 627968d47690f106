// Whole-mask evaluation over a compiled layout: every attribute's outcome for a user on a
// feed at once, and every feed at once. Used for bulk comparisons such as the access diff.
import type { Layout } from './compiled-layout';
import * as layoutModule from './compiled-layout';

// A module-level copy: an imported binding compiled to CommonJS (tsx, vitest) is a getter
// call on every read, and the access diff reads this once per touched feed of every user.
const { SLOTS } = layoutModule;

export interface MaskFolder {
  maskAt(uid: number, feed: number, owner: boolean): number;
  allowedMasks(uid: number, out?: FeedMasks): FeedMasks & { system: number };
}

/** Per feed (index = position in policy.feeds): the allowed mask, and 1 where the user's views have an entry. */
export interface FeedMasks {
  feeds: Int32Array;
  touched: Uint8Array;
}

export function maskFolder(layout: Layout, feedGroupCount: number): MaskFolder {
  const {
    table,
    own,
    from,
    to,
    views,
    feedGroupOf,
    feedsOfGroup,
    implicitMask,
    anonymousUid,
    feedCount,
  } = layout;
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

  // Feeds by implicit class: feeds whose access types give the same implicit masks. On a feed
  // that none of a user's views has an entry for, the mask depends on the class alone.
  const classOf = new Int32Array(feedCount);
  const classImplicit: [number, number][] = [];
  for (let f = 0; f < feedCount; f++) {
    const everyone = implicitMask[f * SLOTS] as number;
    const signedIn = implicitMask[f * SLOTS + 1] as number;
    let c = classImplicit.findIndex(([e, s]) => e === everyone && s === signedIn);
    if (c < 0) c = classImplicit.push([everyone, signedIn]) - 1;
    classOf[f] = c;
  }
  const baseline = new Int32Array(classImplicit.length);

  // Scratch for allowedMasks: per feed and per feed group, the user's own and group tiers
  // (deny at 2k, allow at 2k+1), zero between calls: only the keys a call set are cleared.
  const ownFeed = new Int32Array(feedCount * 2);
  const groupFeed = new Int32Array(feedCount * 2);
  const ownFeedGroup = new Int32Array(feedGroupCount * 2);
  const groupFeedGroup = new Int32Array(feedGroupCount * 2);
  const usedFeeds: number[] = [];
  const usedFeedGroups: number[] = [];
  /** Adds a view's feed and feed-group entries into scratch and marks the feeds they reach. */
  const load = (
    view: number,
    feedTiers: Int32Array,
    groupTiers: Int32Array,
    touched: Uint8Array,
  ): void => {
    for (let e = table.entriesFrom(view, 0), end = table.entriesTo(view, 0); e < end; e++) {
      const f = table.entryKey(e);
      feedTiers[f * 2] = (feedTiers[f * 2] as number) | table.entryDeny(e);
      feedTiers[f * 2 + 1] = (feedTiers[f * 2 + 1] as number) | table.entryAllow(e);
      if (touched[f] === 0) {
        touched[f] = 1;
        usedFeeds.push(f);
      }
    }
    for (let e = table.entriesFrom(view, 1), end = table.entriesTo(view, 1); e < end; e++) {
      const fg = table.entryKey(e);
      groupTiers[fg * 2] = (groupTiers[fg * 2] as number) | table.entryDeny(e);
      groupTiers[fg * 2 + 1] = (groupTiers[fg * 2 + 1] as number) | table.entryAllow(e);
      usedFeedGroups.push(fg);
      for (const f of feedsOfGroup[fg] ?? []) {
        if (touched[f] === 0) {
          touched[f] = 1;
          usedFeeds.push(f);
        }
      }
    }
  };

  /**
   * Every feed's mask in one sweep. Feeds that the user's views have entries for are folded
   * tier by tier; every other feed gets its class's baseline (global grants and implicit
   * grants alone), so the cost follows the user's entries rather than the number of feeds.
   */
  function allowedMasks(uid: number, out?: FeedMasks): FeedMasks & { system: number } {
    const ownView = own[uid] as number;
    // A bulk caller passes the arrays of its previous call back in rather than allocating
    // two arrays per user.
    const reuse = out !== undefined && out.feeds.length === feedCount;
    const masks = reuse ? out.feeds : new Int32Array(feedCount);
    const touched = reuse ? out.touched.fill(0) : new Uint8Array(feedCount);
    let ownDeny = 0;
    let ownAllow = 0;
    let groupDeny = 0;
    let groupAllow = 0;
    if (ownView >= 0) {
      load(ownView, ownFeed, ownFeedGroup, touched);
      ownDeny = table.globalDeny(ownView);
      ownAllow = table.globalAllow(ownView);
    }
    for (let i = from[uid] as number, end = to[uid] as number; i < end; i++) {
      const view = views[i] as number;
      load(view, groupFeed, groupFeedGroup, touched);
      groupDeny |= table.globalDeny(view);
      groupAllow |= table.globalAllow(view);
    }
    const signedIn = uid !== anonymousUid;
    // Untouched feeds: own global, implicit, group global.
    for (let c = 0; c < baseline.length; c++) {
      const [everyone, authenticated] = classImplicit[c] as [number, number];
      const implicit = everyone | (signedIn ? authenticated : 0);
      let d = ownDeny | ownAllow;
      let a = ownAllow & ~ownDeny;
      a |= implicit & ~d;
      d |= implicit;
      a |= groupAllow & ~groupDeny & ~d;
      baseline[c] = a;
    }
    for (let f = 0; f < feedCount; f++) masks[f] = baseline[classOf[f] as number] as number;
    for (const f of usedFeeds) {
      // The fold of maskAt, written out: this runs for every touched feed of every user a diff reaches.
      const fg = (feedGroupOf[f] as number) * 2;
      const ofD = ownFeed[f * 2] as number;
      const ofA = ownFeed[f * 2 + 1] as number;
      const gfD = groupFeed[f * 2] as number;
      const gfA = groupFeed[f * 2 + 1] as number;
      const ogD = fg >= 0 ? (ownFeedGroup[fg] as number) : 0;
      const ogA = fg >= 0 ? (ownFeedGroup[fg + 1] as number) : 0;
      const ggD = fg >= 0 ? (groupFeedGroup[fg] as number) : 0;
      const ggA = fg >= 0 ? (groupFeedGroup[fg + 1] as number) : 0;
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
    // Leave the scratch zeroed for the next call.
    for (const f of usedFeeds) {
      ownFeed[f * 2] = ownFeed[f * 2 + 1] = groupFeed[f * 2] = groupFeed[f * 2 + 1] = 0;
    }
    for (const fg of usedFeedGroups) {
      ownFeedGroup[fg * 2] = ownFeedGroup[fg * 2 + 1] = 0;
      groupFeedGroup[fg * 2] = groupFeedGroup[fg * 2 + 1] = 0;
    }
    usedFeeds.length = 0;
    usedFeedGroups.length = 0;
    decided = 0;
    allowed = 0;
    fold(ownDeny, ownAllow);
    fold(groupDeny, groupAllow);
    return { system: allowed, feeds: masks, touched };
  }

  return { maskAt, allowedMasks };
}
