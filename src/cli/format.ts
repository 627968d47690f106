// Terminal output: aligned columns, marks and colors. Colors only when stdout is a terminal
// and NO_COLOR is unset (https://no-color.org), so pipes and files get plain text.
import { describeGrant, type Grant } from '../core/index';

let colorEnabled: boolean | undefined;

export function useColor(): boolean {
  colorEnabled ??= process.stdout.isTTY === true && !process.env.NO_COLOR;
  return colorEnabled;
}

const paint =
  (open: number, close: number) =>
  (text: string): string =>
    useColor() ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export const green = paint(32, 39);
export const red = paint(31, 39);
export const yellow = paint(33, 39);
export const cyan = paint(36, 39);
export const bold = paint(1, 22);
export const dim = paint(2, 22);

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/** Width on screen: the text without color codes, one column per code point. */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI, '')].length;
}

/** Rows of cells with every column but the last padded to its widest cell. */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  return rows
    .map((row) => {
      const cells = row.map((cell, i) =>
        i < row.length - 1 ? cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell)) : cell,
      );
      return (indent + cells.join('  ')).trimEnd();
    })
    .join('\n');
}

export function mark(allowed: boolean): string {
  return allowed ? green('✓') : red('✗');
}

export function verdictWord(allowed: boolean): string {
  return allowed ? bold(green('ALLOWED')) : bold(red('DENIED'));
}

export function allowDeny(allowed: boolean): string {
  return allowed ? green('ALLOW') : red('DENY');
}

/** The deciding grant in words, or why there is none. */
export function grantText(grant: Grant | null): string {
  return grant ? describeGrant(grant) : 'no applicable grant (denied by default)';
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** `a, b, c` or `a, b, ... and 12 more` beyond `max` items. */
export function listWithMore(items: readonly string[], max = 10): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Where a question was asked: `feed Production` or `system scope`. */
export function scopeText(feed: string | null | undefined): string {
  return feed === null || feed === undefined ? 'system scope' : `feed ${feed}`;
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
