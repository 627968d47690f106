// The Access screen's searches over the back end (access:who-can, access:what-can): the
// engine runs there, on the connection's draft or on the sample's text, so a large policy
// never blocks the UI thread. Here: what to ask with.
import { ATTRIBUTES, isFeedScopableTask, type Policy } from '../../../core/index';
import type { ChannelArgs } from '../../../shared/app-api';

/** Which policy the back end answers for: a connection's draft, or a policy text. */
export type AccessSource = ChannelArgs<'access:who-can'>['source'];

export interface Choice {
  /** `attribute:<id>`, `task:<name>`, `feed:<name>` or `feedGroup:<name>`. */
  value: string;
  label: string;
}

/** What "who can" asks about: feed-scoped attributes, then feed-scopable tasks. */
export function subjectChoices(policy: Policy): { attributes: Choice[]; tasks: Choice[] } {
  return {
    attributes: ATTRIBUTES.filter((a) => a.feedScoped).map((a) => ({
      value: `attribute:${a.id}`,
      label: a.id,
    })),
    tasks: policy.tasks
      .filter((t) => t.attributes.length > 0 && isFeedScopableTask(t.attributes))
      .map((t) => ({ value: `task:${t.name}`, label: t.name })),
  };
}

/** Splits `kind:name` (the name may hold colons). */
export function splitChoice(value: string): [string, string] {
  const at = value.indexOf(':');
  return [value.slice(0, at), value.slice(at + 1)];
}
