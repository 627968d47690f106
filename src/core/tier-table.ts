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
  };
  private packed = false;
  private arrays!: {
    globalDeny: Int32Array;
    globalAllow: Int32Array;
    globalStart: Int32Array;
    globalEnd: Int32Array;
    feedFrom: Int32Array;
    feedTo: Int32Array;
    groupFrom: Int32Array;
    groupTo: Int32Array;
    entryKey: Int32Array;
    entryDeny: Int32Array;
    entryAllow: Int32Array;
    entryStart: Int32Array;
    entryEnd: Int32Array;
    list: Int32Array;
  };

  constructor(private readonly grants: GrantColumns) {}

  /** Adds a view of the given grants (any order; duplicates allowed) and returns its id. */
  addView(grantIndexes: number[]): number {
    if (this.packed) throw new Error('tier table is sealed');
    const g = this.grants;
    const sorted = [...new Set(grantIndexes)].sort((a, b) => a - b);
    const global: number[] = [];
    const byFeed = new Map<number, number[]>();
    const byGroup = new Map<number, number[]>();
    for (const i of sorted) {
      if (g.mask[i] === 0) continue;
      const scope = g.scope[i];
      if (scope === 2) global.push(i);
      else {
        const map = scope === 0 ? byFeed : byGroup;
        const key = g.scopeId[i] as number;
        let run = map.get(key);
        if (!run) map.set(key, (run = []));
        run.push(i);
      }
    }
    const view = this.build.globalDeny.length;
    const tier = this.appendTier(global);
    this.build.globalDeny.push(tier.deny);
    this.build.globalAllow.push(tier.allow);
    this.build.globalStart.push(tier.start);
    this.build.globalEnd.push(tier.end);
    this.build.feedFrom.push(this.build.entryKey.length);
    this.appendEntries(byFeed);
    this.build.feedTo.push(this.build.entryKey.length);
    this.build.groupFrom.push(this.build.entryKey.length);
    this.appendEntries(byGroup);
    this.build.groupTo.push(this.build.entryKey.length);
    return view;
  }

  private appendEntries(map: Map<number, number[]>): void {
    for (const key of [...map.keys()].sort((a, b) => a - b)) {
      const tier = this.appendTier(map.get(key) as number[]);
      this.build.entryKey.push(key);
      this.build.entryDeny.push(tier.deny);
      this.build.entryAllow.push(tier.allow);
      this.build.entryStart.push(tier.start);
      this.build.entryEnd.push(tier.end);
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
    }
    return { deny, allow, start, end: this.build.list.length };
  }

  /** Freezes the table into typed arrays; no view can be added afterwards. */
  seal(): void {
    this.arrays = {
      globalDeny: Int32Array.from(this.build.globalDeny),
      globalAllow: Int32Array.from(this.build.globalAllow),
      globalStart: Int32Array.from(this.build.globalStart),
      globalEnd: Int32Array.from(this.build.globalEnd),
      feedFrom: Int32Array.from(this.build.feedFrom),
      feedTo: Int32Array.from(this.build.feedTo),
      groupFrom: Int32Array.from(this.build.groupFrom),
      groupTo: Int32Array.from(this.build.groupTo),
      entryKey: Int32Array.from(this.build.entryKey),
      entryDeny: Int32Array.from(this.build.entryDeny),
      entryAllow: Int32Array.from(this.build.entryAllow),
      entryStart: Int32Array.from(this.build.entryStart),
      entryEnd: Int32Array.from(this.build.entryEnd),
      list: Int32Array.from(this.build.list),
    };
    this.packed = true;
  }

  /** The entry of a view for a feed (scope 0) or feed group (scope 1), or -1. */
  entry(view: number, scope: 0 | 1, key: number): number {
    const a = this.arrays;
    let lo = (scope === 0 ? a.feedFrom[view] : a.groupFrom[view]) as number;
    let hi = ((scope === 0 ? a.feedTo[view] : a.groupTo[view]) as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = a.entryKey[mid] as number;
      if (k === key) return mid;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Keys (feed or feed-group ids) that a view has entries for. */
  keys(view: number, scope: 0 | 1): Int32Array {
    const a = this.arrays;
    return scope === 0
      ? a.entryKey.subarray(a.feedFrom[view], a.feedTo[view])
      : a.entryKey.subarray(a.groupFrom[view], a.groupTo[view]);
  }

  /** The range of a view's entries for feeds (scope 0) or feed groups (scope 1): [from, to). */
  entriesFrom(view: number, scope: 0 | 1): number {
    return (scope === 0 ? this.arrays.feedFrom[view] : this.arrays.groupFrom[view]) as number;
  }
  entriesTo(view: number, scope: 0 | 1): number {
    return (scope === 0 ? this.arrays.feedTo[view] : this.arrays.groupTo[view]) as number;
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
    return this.arrays.globalDeny[view] as number;
  }
  globalAllow(view: number): number {
    return this.arrays.globalAllow[view] as number;
  }

  /** First grant (policy order) of an entry's tier with the effect that meets the bit. */
  firstInEntry(entry: number, bitValue: number, deny: boolean): number {
    const a = this.arrays;
    return this.first(a.entryStart[entry] as number, a.entryEnd[entry] as number, bitValue, deny);
  }
  firstInGlobal(view: number, bitValue: number, deny: boolean): number {
    const a = this.arrays;
    return this.first(a.globalStart[view] as number, a.globalEnd[view] as number, bitValue, deny);
  }

  private first(start: number, end: number, bitValue: number, deny: boolean): number {
    const list = this.arrays.list;
    const want = deny ? 1 : 0;
    for (let i = start; i < end; i++) {
      const g = list[i] as number;
      if (this.grants.deny[g] === want && ((this.grants.mask[g] as number) & bitValue) !== 0)
        return g;
    }
    return NO_GRANT;
  }
}
