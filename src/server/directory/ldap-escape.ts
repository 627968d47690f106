// Escaping of untrusted values placed into LDAP filters (RFC 4515) and DNs (RFC 4514). Every
// login name, search term and DN that goes into a filter passes through here, so a value like
// `*` or `)(uid=*` is matched literally and can never add a clause to the filter.
//
// Non-ASCII characters pass through unescaped in both: RFC 4515 and RFC 4514 allow UTF-8 in
// values, and ldapts encodes the filter string as UTF-8. Escaping them as `\xx` UTF-8 bytes
// would be wrong with ldapts, whose filter parser turns each `\xx` into one UTF-16 code unit
// (so `é` sent as `\c3\a9` would reach the server as `Ã©`).

const FILTER_SPECIAL: Readonly<Record<string, string>> = {
  '*': '\\2a',
  '(': '\\28',
  ')': '\\29',
  '\\': '\\5c',
};

/** ASCII control characters: NUL to US, and DEL. */
export function isControlCharacter(char: string): boolean {
  return char < ' ' || char === '\x7f';
}

function hexEscape(char: string): string {
  return `\\${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * A value for an LDAP filter assertion (RFC 4515): `*`, `(`, `)`, `\` and every ASCII control
 * character (NUL included) become `\xx`; everything else is kept as is.
 */
export function escapeFilterValue(value: string): string {
  let escaped = '';
  for (const char of value) {
    const special = FILTER_SPECIAL[char];
    if (special !== undefined) escaped += special;
    else if (isControlCharacter(char)) escaped += hexEscape(char);
    else escaped += char;
  }
  return escaped;
}

/** Puts `value`, escaped, wherever a filter template says `%s`. */
export function fillFilter(template: string, value: string): string {
  return template.replaceAll('%s', () => escapeFilterValue(value));
}

/** Fills `%s` with `*` (any value): the template as an object-class filter for listings. */
export function anyValueFilter(template: string): string {
  return template.replaceAll('%s', '*');
}

/**
 * An attribute value for a DN (RFC 4514 section 2.4): `"`, `+`, `,`, `;`, `<`, `=`, `>` and `\`
 * get a backslash; a leading space or `#` and a trailing space too; NUL and other ASCII
 * control characters become `\xx`.
 */
export function escapeDnValue(value: string): string {
  let escaped = '';
  const chars = [...value];
  chars.forEach((char, index) => {
    if ('"+,;<=>\\'.includes(char)) escaped += `\\${char}`;
    else if (isControlCharacter(char)) escaped += hexEscape(char);
    else if (index === 0 && (char === ' ' || char === '#')) escaped += `\\${char}`;
    else if (index === chars.length - 1 && char === ' ') escaped += '\\ ';
    else escaped += char;
  });
  return escaped;
}
