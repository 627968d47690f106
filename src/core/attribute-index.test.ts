import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_IDS } from './catalog';
import { USES_PERFECT_HASH, attributeBit } from './attribute-index';

describe('attributeBit', () => {
  it('uses the perfect hash for the catalog as it is', () => {
    expect(USES_PERFECT_HASH).toBe(true);
  });

  it('finds every catalog attribute at its position, also from a copy of the name', () => {
    ATTRIBUTE_IDS.forEach((id, bit) => {
      expect(attributeBit(id)).toBe(bit);
      expect(attributeBit(JSON.parse(JSON.stringify(id)) as string)).toBe(bit);
    });
  });

  it('answers -1 for names that are not attributes, however close', () => {
    const near = ATTRIBUTE_IDS.flatMap((id) => [
      id.toLowerCase(),
      `${id} `,
      id.slice(0, -1),
      id.slice(0, -1) + String.fromCharCode(id.charCodeAt(id.length - 1) + 1),
    ]);
    for (const name of [...near, '', 'Feeds_Bogus', '__proto__', 'constructor'])
      expect(attributeBit(name), name).toBe(-1);
    expect(attributeBit(undefined as unknown as string)).toBe(-1);
    expect(attributeBit(42 as unknown as string)).toBe(-1);
  });
});
