// What the `feeds` commands share: the feed or feed group acted on (`--feed` / `--feed-group`,
// or pgutil's --name), and local checks of --type and --access against the core's lists.
import { FEED_ACCESS_TYPES, FEED_TYPES } from '../../core/index';
import { CliError } from '../io';
import { remote } from '../policy/remote';
import { nameOf } from '../security/common';

export interface FeedGroupNameOptions {
  feedGroup?: string;
  name?: string;
}

/** The feed group from --feed-group or --name (commander names the option `feedGroup`). */
export function feedGroupOf(options: FeedGroupNameOptions): string {
  return nameOf({ 'feed-group': options.feedGroup, name: options.name }, 'feed-group');
}

function oneOf(value: string | undefined, list: readonly string[], option: string) {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!list.includes(trimmed))
    throw new CliError(`${option} must be one of ${list.join(', ')}, not "${value}"`);
  return trimmed;
}

export const feedTypeOf = (value: string | undefined) => oneOf(value, FEED_TYPES, '--type');
export const accessOf = (value: string | undefined) => oneOf(value, FEED_ACCESS_TYPES, '--access');

/** A delete through `remote`, its 409 pointing to --force rather than the API's ?force=true. */
export async function removing(work: () => Promise<void>): Promise<void> {
  try {
    await remote(work);
  } catch (error) {
    if (!(error instanceof CliError) || !error.message.includes('?force=true')) throw error;
    throw new CliError(error.message.replace('?force=true', '--force'), error.exitCode);
  }
}
