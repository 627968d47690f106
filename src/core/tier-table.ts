// Flat tables of folded grants for the compiled evaluator. A "view" is the grants of a set
// of principals folded by scope: one global tier, and sorted entries per feed and per feed
// group. Everything lives in typed arrays so that a check touches a few cache lines
// instead of chasing objects (the difference between 0.5 and several million checks/s).

/** Per-grant facts the tables need, indexed by position in policy.permissions. */
export interface GrantColumns {
  readonly mask: Int32Array;
  readonly deny: Uint8Array;
  /** 0 = feed, 1 = feed group, 2 = global. */
  readonly scope: Uint8Array;
  readonly scopeId: Int32Array;
}

export const NO_GRANT = -1;

const VIEW_STRIDE = 8;
const V_GLOBAL_DENY = 0;
const V_GLOBAL_ALLOW = 1;
const V_GLOBAL_START = 2;
const V_GLOBAL_END = 3;
const V_FEED_FROM = 4;
const V_FEED_TO = 5;
const V_GROUP_FROM = 6;
const V_GROUP_TO = 7;

/** One tier: the union of its grants' deny and allow masks and where its grant list lies. */
interface TierRef {
  deny: number;
  allow: number;
  start: number;
  end: number;
}

export class TierTable {
  /** Built up by addView, packed into typed arrays by seal. */
  private readonly build = {
    globalDeny: [] as number[],
    globalAllow: [] as number[],
    globalStart: [] as number[],
    globalEnd: [] as number[],
    feedFrom: [] as number[],
    feedTo: [] as number[],
    groupFrom: [] as number[],
    groupTo: [] as number[],
    // Per entry (one scope of one view), sorted by key within a view's range.
    entryKey: [] as number[],
    entryDeny: [] as number[],
    entryAllow: [] as number[],
    entryStart: [] as number[],
    entryEnd: [] as number[],
    /** Grant indexes of every tier, each tier's run in policy order. */
    list: [] as number[],
    /** The mask and effect of each list item, stored inline so a scan reads memory in order. */
    listMask: [] as number[],
    listDeny: [] as number[],
  };
  private packed = false;
  private arrays!: {
    entryKey: Int32Array;
    entryDeny: Int32Array;
    entryAllow: Int32Array;
    entryStart: Int32Array;
    entryEnd: Int32Array;
    /** Per view, interleaved so one cache line holds it: VIEW_STRIDE fields (see V_*). */
    view: Int32Array;
    list: Int32Array;
    listMask: Int32Array;
    listDeny: Uint8Array;
  };

  constructor(private readonly grants: GrantColumns) {}

  /** Adds a view of the given grants (any order; duplicates allowed) and returns its id. */
  addView(grantIndexes: readonly number[]): number {
    if (this.packed) throw new Error('tier table is sealed');
    const g = this.grants;
    // A policy has a view per user with grants of their own (11,600 at L), most of them a
    // grant or two: typed-array sorts and flat lists, not a Set and two Maps per view.
    const sorted = Int32Array.from(grantIndexes);
    if (sorted.length > 1) sorted.sort();
    const global: number[] = [];
    const feedGrants: number[] = [];
    const groupGrants: number[] = [];
    let previous = -1;
    for (const i of sorted) {
      if (i === previous || g.mask[i] === 0) continue;
      previous = i;
      const scope = g.scope[i];
      (scope === 2 ? global : scope === 0 ? feedGrants : groupGrants).push(i);
    }
    const view = this.build.globalDeny.length;
    const tier = this.appendTier(global);
    this.build.globalDeny.push(tier.deny);
    this.build.globalAllow.push(tier.allow);
    this.build.globalStart.push(tier.start);
    this.build.globalEnd.push(tier.end);
    this.build.feedFrom.push(this.build.entryKey.length);
    this.appendEntries(feedGrants);
    this.build.feedTo.push(this.build.entryKey.length);
    this.build.groupFrom.push(this.build.entryKey.length);
    this.appendEntries(groupGrants);
    this.build.groupTo.push(this.build.entryKey.length);
    return view;
  }

  /** One entry per scope id, in key order, each tier's grants in policy order. */
  private appendEntries(grants: number[]): void {
    const scopeId = this.grants.scopeId;
    if (grants.length > 1)
      grants.sort((a, b) => (scopeId[a] as number) - (scopeId[b] as number) || a - b);
    for (let from = 0; from < grants.length;) {
      const key = scopeId[grants[from] as number] as number;
      let to = from + 1;
      while (to < grants.length && scopeId[grants[to] as number] === key) to++;
      const tier = this.appendTier(grants.slice(from, to));
      this.build.entryKey.push(key);
      this.build.entryDeny.push(tier.deny);
      this.build.entryAllow.push(tier.allow);
      this.build.entryStart.push(tier.start);
      this.build.entryEnd.push(tier.end);
      from = to;
    }
  }

  /** Appends a tier's grants, leaving out any an earlier grant of the same effect fully covers. */
  private appendTier(run: number[]): TierRef {
    const start = this.build.list.length;
    let deny = 0;
    let allow = 0;
    for (const i of run) {
      const mask = this.grants.mask[i] as number;
      if (this.grants.deny[i]) {
        if ((mask & ~deny) === 0) continue;
        deny |= mask;
      } else {
        if ((mask & ~allow) === 0) continue;
        allow |= mask;
      }
      this.build.list.push(i);
      this.build.listMask.push(mask);
      this.build.listDeny.push(this.grants.deny[i] as number);
    }
    return { deny, allow, start, end: this.build.list.length };
  }

  private packViews(): Int32Array {
    const b = this.build;
    const count = b.globalDeny.length;
    const out = new Int32Array(count * VIEW_STRIDE);
    for (let v = 0; v < count; v++) {
      const o = v * VIEW_STRIDE;
      out[o + V_GLOBAL_DENY] = b.globalDeny[v] as number;
      out[o + V_GLOBAL_ALLOW] = b.globalAllow[v] as number;
      out[o + V_GLOBAL_START] = b.globalStart[v] as number;
      out[o + V_GLOBAL_END] = b.globalEnd[v] as number;
      out[o + V_FEED_FROM] = b.feedFrom[v] as number;
      out[o + V_FEED_TO] = b.feedTo[v] as number;
      out[o + V_GROUP_FROM] = b.groupFrom[v] as number;
      out[o + V_GROUP_TO] = b.groupTo[v] as number;
    }
    return out;
  }

  /** Freezes the table into typed arrays; no view can be added afterwards. */
  seal(): void {
    this.arrays = {
      entryKey: Int32Array.from(this.build.entryKey),
      entryDeny: Int32Array.from(this.build.entryDeny),
      entryAllow: Int32Array.from(this.build.entryAllow),
      entryStart: Int32Array.from(this.build.entryStart),
      entryEnd: Int32Array.from(this.build.entryEnd),
      view: this.packViews(),
      list: Int32Array.from(this.build.list),
      listMask: Int32Array.from(this.build.listMask),
      listDeny: Uint8Array.from(this.build.listDeny),
    };
    this.packed = true;
  }

  get entryCount(): number {
    return this.arrays.entryKey.length;
  }

  get viewCount(): number {
    return this.arrays.view.length / VIEW_STRIDE;
  }

  /** The entry of a view for a feed (scope 0) or feed group (scope 1), or -1. */
  entry(view: number, scope: 0 | 1, key: number): number {
    const o = view * VIEW_STRIDE + (scope === 0 ? V_FEED_FROM : V_GROUP_FROM);
    return this.findEntry(this.arrays.view[o] as number, this.arrays.view[o + 1] as number, key);
  }

  /**
   * The entry with the key among entries [from, to) (one scope of one view, keys sorted), or
   * -1. The last steps scan, as short runs predict better than halving.
   */
  findEntry(from: number, to: number, key: number): number {
    const keys = this.arrays.entryKey;
    let lo = from;
    let hi = to;
    while (hi - lo > 8) {
      const mid = (lo + hi) >> 1;
      if ((keys[mid] as number) <= key) lo = mid;
      else hi = mid;
    }
    for (; lo < hi; lo++) {
      const k = keys[lo] as number;
      if (k >= key) return k === key ? lo : -1;
    }
    return -1;
  }

  /** Keys (feed or feed-group ids) that a view has entries for. */
  keys(view: number, scope: 0 | 1): Int32Array {
    const a = this.arrays;
    return scope === 0
      ? a.entryKey.subarray(this.entriesFrom(view, 0), this.entriesTo(view, 0))
      : a.entryKey.subarray(this.entriesFrom(view, 1), this.entriesTo(view, 1));
  }

  /** The range of a view's entries for feeds (scope 0) or feed groups (scope 1): [from, to). */
  entriesFrom(view: number, scope: 0 | 1): number {
    return this.arrays.view[
      view * VIEW_STRIDE + (scope === 0 ? V_FEED_FROM : V_GROUP_FROM)
    ] as number;
  }
  entriesTo(view: number, scope: 0 | 1): number {
    return this.arrays.view[view * VIEW_STRIDE + (scope === 0 ? V_FEED_TO : V_GROUP_TO)] as number;
  }
  entryKey(entry: number): number {
    return this.arrays.entryKey[entry] as number;
  }
  entryDeny(entry: number): number {
    return this.arrays.entryDeny[entry] as number;
  }
  entryAllow(entry: number): number {
    return this.arrays.entryAllow[entry] as number;
  }
  globalDeny(view: number): number {
    return this.arrays.view[view * VIEW_STRIDE + V_GLOBAL_DENY] as number;
  }
  globalAllow(view: number): number {
    return this.arrays.view[view * VIEW_STRIDE + V_GLOBAL_ALLOW] as number;
  }

  /** First grant (policy order) of an entry's tier with the effect that meets the bit. */
  firstInEntry(entry: number, bitValue: number, deny: boolean): number {
    const a = this.arrays;
    return this.first(a.entryStart[entry] as number, a.entryEnd[entry] as number, bitValue, deny);
  }
  firstInGlobal(view: number, bitValue: number, deny: boolean): number {
    const a = this.arrays;
    const o = view * VIEW_STRIDE;
    return this.first(
      a.view[o + V_GLOBAL_START] as number,
      a.view[o + V_GLOBAL_END] as number,
      bitValue,
      deny,
    );
  }

  private first(start: number, end: number, bitValue: number, deny: boolean): number {
    const { list, listMask, listDeny } = this.arrays;
    const want = deny ? 1 : 0;
    for (let i = start; i < end; i++) {
      if (listDeny[i] === want && ((listMask[i] as number) & bitValue) !== 0)
        return list[i] as number;
    }
    return NO_GRANT;
  }
}
