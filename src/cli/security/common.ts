// What the `security` commands share: the name of the user, group or task acted on (its own
// option, or pgutil's --name) and optional text values, checked locally (exit 2).
import type { Command } from 'commander';
import { CliError } from '../io';

export type NamedThing = 'user' | 'group' | 'task' | 'feed' | 'feed-group';

export type NameOptions<K extends NamedThing> = { [key in K]?: string } & { name?: string };

/** Adds `--<thing> <name>` and its pgutil alias `--name <name>`. */
export function withName(command: Command, thing: NamedThing): Command {
  return command
    .option(`--${thing} <name>`, `the ${thing} name`)
    .option('--name <name>', `same as --${thing}`);
}

/** The name from --<thing> or --name; exit 2 when missing, empty or contradictory. */
export function nameOf<K extends NamedThing>(options: NameOptions<K>, thing: K): string {
  const given = [options[thing], options.name].filter((n): n is string => n !== undefined);
  if (given.length === 0) throw new CliError(`--${thing} (or --name) is required`);
  const trimmed = given.map((n) => n.trim());
  if (trimmed.some((n) => n === '')) throw new CliError(`--${thing} must not be empty`);
  if (trimmed.length === 2 && trimmed[0] !== trimmed[1])
    throw new CliError(`--${thing} and --name name different ${thing}s`);
  return trimmed[0] as string;
}

/** An optional text option: trimmed, never empty. */
export function optionalText(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === '') throw new CliError(`${option} must not be empty`);
  return value.trim();
}

/** A required option naming a user or group: trimmed, never empty. */
export function requiredText(value: string | undefined, option: string): string {
  const text = optionalText(value, option);
  if (text === undefined) throw new CliError(`${option} is required`);
  return text;
}
