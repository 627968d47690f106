// Request validation with zod through Fastify's validator compiler: a route's `schema.body`
// or `schema.querystring` is a zod schema, and a failure becomes a 400 whose message names
// the field and the problem (e.g. `feed and feedGroup cannot both be set`).
import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { HttpError } from './errors';

type Issue = z.core.$ZodIssue;

function fieldOf(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`))
    .join('');
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

/** One plain sentence for one zod issue about `data`. */
export function issueMessage(issue: Issue, part: string, data: unknown): string {
  const field = fieldOf(issue.path);
  if (issue.code === 'unrecognized_keys')
    return issue.keys
      .map((k) => `unknown field "${[field, k].filter(Boolean).join('.')}"`)
      .join('; ');
  if (field === '') {
    if (issue.code === 'invalid_type') return `the ${part} must be a JSON ${issue.expected}`;
    return issue.message;
  }
  if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined)
    return `${field} is required`;
  // zod reports a fraction where `.int()` is wanted as invalid_type "int": say it in words.
  if (issue.code === 'invalid_type' && issue.expected === 'int')
    return `${field}: must be a whole number`;
  if (issue.code === 'invalid_type') return `${field} must be a ${issue.expected}`;
  return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}

const PART: Record<string, string> = { body: 'body', querystring: 'query', params: 'path' };

export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const part = PART[httpPart ?? 'body'] ?? 'request';
  return (data: unknown) => {
    const result = schema.safeParse(data ?? (part === 'body' ? undefined : {}));
    if (result.success) return { value: result.data };
    const issue = result.error.issues[0] as Issue;
    return { error: new HttpError(400, issueMessage(issue, part, data)) };
  };
};
