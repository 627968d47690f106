import { describe, expect, it } from 'vitest';
import type { Permission } from './model';
import { permissionKey } from './change-set';
import { grantKeys } from './access-footprint';

// Grants that differ in one part each, and copies of them: keys must be equal exactly when
// permissionKey (the change sets' identity of a grant) is.
const base: Permission = { group: 'dev', task: 'Publish Packages', feed: 'main', deny: false };
const variants: Permission[] = [
  base,
  { ...base, deny: true },
  { user: 'dev', task: 'Publish Packages', feed: 'main', deny: false },
  { group: 'ops', task: 'Publish Packages', feed: 'main', deny: false },
  { group: 'dev', task: 'Manage Feed', feed: 'main', deny: false },
  { group: 'dev', task: 'Publish Packages', feedGroup: 'main', deny: false },
  { group: 'dev', task: 'Publish Packages', deny: false },
  { group: 'dev', task: 'Publish Packages', feed: 'other', deny: false },
];

describe('grantKeys', () => {
  for (const limit of [Number.MAX_SAFE_INTEGER, 0]) {
    it(`keys grants as permissionKey does (${limit === 0 ? 'string' : 'numeric'} keys)`, () => {
      const copies = variants.map((p) => ({ ...p }));
      const [left = [], right = []] = grantKeys([variants, [...copies].reverse()], limit);
      expect(typeof left[0]).toBe(limit === 0 ? 'string' : 'number');
      const rightByKey = new Map(right.map((k, i) => [k, copies[copies.length - 1 - i]!]));
      variants.forEach((p, i) => {
        const twin = rightByKey.get(left[i]!);
        expect(twin && permissionKey(twin)).toBe(permissionKey(p));
      });
      expect(new Set(left).size).toBe(variants.length);
    });
  }
});
