// What the `apikeys` commands share: --source/--api-key, and local checks of option values
// (a malformed value is exit 2 and nothing is sent).
import type { Command } from 'commander';
import type { ApiKeyInfo } from '../../workspace/remote-client';
import { CliError } from '../io';

export const PERMISSIONS = ['view', 'add', 'promote', 'delete'] as const;

/** ISO 8601: a date, or a date-time with an optional offset (as the server accepts). */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export const EXIT_HELP =
  '\nExit codes: 0 done, 1 refused by the server (access denied, rejected), 2 bad input (nothing sent), 3 network or internal error.';

export function withSource(command: Command): Command {
  return command
    .option('--source <nameOrUrl>', 'source name or http(s) URL (default: the source "Default")')
    .option('--api-key <key>', 'API key to use instead of the one stored for the source');
}

/** A positive whole number. */
export function parseId(text: string | undefined): number {
  if (text === undefined) throw new CliError('--id is required');
  if (!/^[1-9]\d{0,14}$/.test(text.trim()))
    throw new CliError(`--id must be a positive whole number, not "${text}"`);
  return Number(text.trim());
}

/** An ISO 8601 date or date-time in the future, returned as given. */
export function parseExpiration(text: string): string {
  const at = Date.parse(text);
  if (!ISO_8601.test(text) || Number.isNaN(at))
    throw new CliError(
      `--expiration must be an ISO 8601 date or date-time (e.g. 2027-01-31T00:00:00Z), not "${text}"`,
    );
  if (at <= Date.now()) throw new CliError(`--expiration "${text}" is in the past`);
  return text;
}

/** A comma-separated list: trimmed, without empty items or duplicates. */
export function parseList(text: string, option: string): string[] {
  const items = [...new Set(text.split(',').map((s) => s.trim()))];
  if (items.some((s) => s === '')) throw new CliError(`${option} has an empty item: "${text}"`);
  for (const item of items)
    if (item.length > 256) throw new CliError(`${option}: "${item}" is longer than 256 characters`);
  return items;
}

export function parsePermissions(text: string): string[] {
  const items = parseList(text, '--permissions');
  for (const item of items)
    if (!(PERMISSIONS as readonly string[]).includes(item))
      throw new CliError(
        `--permissions: unknown permission "${item}" (use ${PERMISSIONS.join(', ')})`,
      );
  return items;
}

/** What a key may reach, in a few words. */
export function scopeText(info: ApiKeyInfo): string {
  if (info.type === 'system')
    return info.fullControl === true
      ? 'full control'
      : `apis: ${(info.systemApis ?? []).join(',') || 'none'}`;
  if (info.type === 'feed') {
    const target =
      info.feed !== undefined ? `feed ${info.feed}` : `feed group ${info.feedGroup ?? '?'}`;
    return `${target} (${(info.packagePermissions ?? []).join(',') || 'no permissions'})`;
  }
  return `user ${info.user ?? '?'}`;
}

/** The info without the key text, whatever the server sent. */
export function withoutKey(info: ApiKeyInfo): ApiKeyInfo {
  const { key: _key, ...rest } = info;
  return rest;
}
