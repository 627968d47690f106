// Attribute name → bit, for the compiled evaluator's hot path. The catalog is fixed, so a
// perfect hash over a name's length and two of its characters finds it with a few arithmetic
// steps and one comparison, where a dictionary lookup runs a generic probe (measured ~6 ns
// of a ~120 ns check at L). Should the catalog ever defeat the search, a dictionary answers.
import * as catalog from './catalog';

// A module-level copy: imported bindings compiled to CommonJS are getter calls on every read.
const { ATTRIBUTE_IDS } = catalog;

const SLOTS = 256;
const hashWith = (name: string, first: number, second: number): number => {
  const n = name.length;
  return (n * 7 + name.charCodeAt(first % n) * 31 + name.charCodeAt(second % n)) & (SLOTS - 1);
};

function findPerfectHash(): { first: number; second: number; table: Int8Array } | undefined {
  for (let first = 0; first < 24; first++)
    for (let second = first + 1; second < 32; second++) {
      const table = new Int8Array(SLOTS).fill(-1);
      const fits = ATTRIBUTE_IDS.every((id, bit) => {
        const h = hashWith(id, first, second);
        if (table[h] !== -1) return false;
        table[h] = bit;
        return true;
      });
      if (fits) return { first, second, table };
    }
  return undefined;
}

const perfect = findPerfectHash();
const fallback = new Map(ATTRIBUTE_IDS.map((id, bit) => [id, bit]));

const table = perfect?.table;
const first = perfect?.first ?? 0;
const second = perfect?.second ?? 0;

/** The attribute's bit (its position in the catalog), or -1 for a name that is not one. */
export function attributeBit(name: string): number {
  if (table === undefined) return fallback.get(name) ?? -1;
  if (typeof name !== 'string' || name.length === 0) return -1;
  const bit = table[hashWith(name, first, second)] as number;
  return bit >= 0 && ATTRIBUTE_IDS[bit] === name ? bit : -1;
}

/** Whether the catalog has a perfect hash (a test holds it true, so a change that loses it shows). */
export const USES_PERFECT_HASH = table !== undefined;
