// Reading policy text (JSON or YAML) and reporting problems with their paths and places:
// the error type every layer shows, and the "did you mean" hints.
import { parseDocument } from 'yaml';
import { ATTRIBUTE_IDS } from './catalog';

export interface Problem {
  /** Where: `permissions[3].task`, or `(root)` for the whole document. */
  path: string;
  message: string;
}

const MESSAGE_LIMIT = 50;

export class PolicyError extends Error {
  readonly problems: Problem[];
  constructor(problems: Problem[], what = 'invalid policy') {
    const shown = problems.slice(0, MESSAGE_LIMIT).map((p) => `  ${p.path}: ${p.message}`);
    if (problems.length > MESSAGE_LIMIT)
      shown.push(`  ... and ${problems.length - MESSAGE_LIMIT} more`);
    super(
      `${what} (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${shown.join('\n')}`,
    );
    this.name = 'PolicyError';
    this.problems = problems;
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function lineColumn(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${position - lineStart + 1}`;
}

/**
 * Where JSON.parse failed. V8 names a position for some errors only; otherwise the YAML
 * parser (JSON is YAML) locates the first error, and failing that, the end of the text.
 */
function jsonErrorLocation(text: string, error: unknown): string {
  const at = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  if (at) return lineColumn(text, Number(at[1]));
  const pos = parseDocument(text).errors[0]?.linePos?.[0];
  if (pos) return `line ${pos.line}, column ${pos.col}`;
  return lineColumn(text, text.length);
}

/** Reads JSON (fast path) or YAML text into a plain value, or reports why it cannot. */
export function readPolicyText(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  if (trimmed === '')
    throw new PolicyError([{ path: '(root)', message: 'the file is empty' }], 'cannot read policy');
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).replace(
        / in JSON at position \d+.*$/s,
        '',
      );
      throw new PolicyError(
        [
          {
            path: '(root)',
            message: `malformed JSON at ${jsonErrorLocation(body, error)}: ${message}`,
          },
        ],
        'cannot read policy',
      );
    }
  }
  const doc = parseDocument(body, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
        return {
          path: '(root)',
          message: `malformed YAML${where}: ${(e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')}`,
        };
      }),
      'cannot read policy',
    );
  }
  try {
    // yaml's guard against alias bombs ("billion laughs") throws; that is bad input, not a crash.
    return doc.toJS({ maxAliasCount: 1000 }) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PolicyError(
      [{ path: '(root)', message: `YAML cannot be expanded safely: ${reason}` }],
      'cannot read policy',
    );
  }
}

/** "did you mean" for a near-miss attribute name (case or one typo away). */
export function suggest(value: string, candidates: Iterable<string> = ATTRIBUTE_IDS): string {
  const lower = value.toLowerCase();
  const list = [...candidates];
  const hit =
    list.find((c) => c.toLowerCase() === lower) ??
    list.find((c) => editDistanceAtMostOne(c.toLowerCase(), lower));
  return hit ? ` (did you mean "${hit}"?)` : '';
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}
