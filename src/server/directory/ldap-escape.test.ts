import fc from 'fast-check';
import { AndFilter, EqualityFilter, FilterParser, SubstringFilter } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { anyValueFilter, escapeDnValue, escapeFilterValue, fillFilter } from './ldap-escape';

// Values an attacker would try, plus anything at all (full Unicode, control characters).
const hostile = fc.oneof(
  fc.constantFrom(
    '*',
    ')(uid=*',
    '*)(|(uid=*',
    '\\',
    '\\2a',
    '\0',
    'a\0b',
    '(',
    ')',
    'Zoë Ångström',
  ),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('*', '(', ')', '\\', '\0', '=', '|', '&', '!', 'a', 'é') }),
);

/** RFC 4514 unescaping of one attribute value, to check escapeDnValue round-trips. */
function parseDnValue(escaped: string): string {
  let value = '';
  for (let i = 0; i < escaped.length; i++) {
    const char = escaped[i] as string;
    if (char !== '\\') {
      if ('"+,;<>='.includes(char)) throw new Error(`unescaped ${char} at ${i}`);
      value += char;
      continue;
    }
    const next = escaped.slice(i + 1, i + 3);
    if (/^[0-9a-f]{2}$/i.test(next)) {
      value += String.fromCharCode(parseInt(next, 16));
      i += 2;
    } else {
      value += escaped[i + 1];
      i += 1;
    }
  }
  return value;
}

describe('escapeFilterValue', () => {
  it('escapes the RFC 4515 specials and control characters, keeps non-ASCII', () => {
    expect(escapeFilterValue(')(uid=*')).toBe('\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\0c')).toBe('a\\5cb\\00c');
    expect(escapeFilterValue('tab\there')).toBe('tab\\09here');
    expect(escapeFilterValue('Zoë Ångström')).toBe('Zoë Ångström');
  });

  it('never changes the structure of the filter it is put into (property)', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const filter = FilterParser.parseString(
          fillFilter('(&(objectClass=inetOrgPerson)(uid=%s))', value),
        );
        expect(filter).toBeInstanceOf(AndFilter);
        const clauses = (filter as AndFilter).filters;
        expect(clauses).toHaveLength(2);
        const uid = clauses[1] as EqualityFilter;
        expect(uid).toBeInstanceOf(EqualityFilter);
        expect(uid.attribute).toBe('uid');
        expect(uid.value).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a search term literal inside a substring filter (property)', () => {
    fc.assert(
      fc.property(
        hostile.filter((v) => v !== ''),
        (value) => {
          const filter = FilterParser.parseString(`(cn=*${escapeFilterValue(value)}*)`);
          expect(filter).toBeInstanceOf(SubstringFilter);
          expect((filter as SubstringFilter).any).toEqual([value]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('fillFilter and anyValueFilter', () => {
  it('fill every %s, escaped, or with a wildcard', () => {
    expect(fillFilter('(|(uid=%s)(mail=%s))', 'a*')).toBe('(|(uid=a\\2a)(mail=a\\2a))');
    expect(fillFilter('(uid=%s)', '$&')).toBe('(uid=$&)');
    expect(anyValueFilter('(&(objectClass=groupOfNames)(cn=%s))')).toBe(
      '(&(objectClass=groupOfNames)(cn=*))',
    );
  });
});

describe('escapeDnValue', () => {
  it('escapes the RFC 4514 specials, leading # and spaces, trailing spaces', () => {
    expect(escapeDnValue('Smith, John')).toBe('Smith\\, John');
    expect(escapeDnValue('a+b=c;d<e>f"g\\h')).toBe('a\\+b\\=c\\;d\\<e\\>f\\"g\\\\h');
    expect(escapeDnValue('#1 ')).toBe('\\#1\\ ');
    expect(escapeDnValue(' lead')).toBe('\\ lead');
    expect(escapeDnValue('nul\0')).toBe('nul\\00');
    expect(escapeDnValue('Zoë')).toBe('Zoë');
  });

  it('round-trips any value and leaves no unescaped separator (property)', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.string({ unit: fc.constantFrom(',', '+', ' ', '#', '"', 'x') }),
        (a, b) => {
          for (const value of [a, b]) expect(parseDnValue(escapeDnValue(value))).toBe(value);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
