// `feedgate policy diff OLD NEW [--json]`: the structural change between two policies and
// the access change (which user/attribute/feed decisions flip), grouped by deciding grant.
// Exit 0 whatever the difference (a diff is a report, not a check); 2 on bad input.
import type { Command } from 'commander';
import {
  accessDiff,
  diffPolicies,
  formatDiff,
  type AccessChangeGroup,
  type AccessDiff,
  type PolicyDiff,
} from '../../core/index';
import { bold, green, grantText, json, listWithMore, plural, red } from '../format';
import { EXIT, act, readPolicyFile, writeOut } from '../io';

const USERS_SHOWN = 10;

export function registerPolicyDiff(policy: Command): void {
  const command = policy
    .command('diff')
    .description('show what changes from OLD to NEW: the rules, and who gains or loses access')
    .argument('<old>', 'policy file before the change (JSON or YAML)')
    .argument('<new>', 'policy file after the change (JSON or YAML)')
    .option('--json', 'print { structural, access } as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 the diff was computed (whether or not anything changed), 2 bad input, 3 internal error.\n' +
        'Example:\n  feedgate policy diff policy.json policy.next.json',
    );
  act(command, (oldFile: string, newFile: string, options: { json?: boolean }) =>
    runDiff(oldFile, newFile, options),
  );
}

function runDiff(oldFile: string, newFile: string, options: { json?: boolean }): number {
  const before = readPolicyFile(oldFile);
  const after = readPolicyFile(newFile);
  const structural = diffPolicies(before, after);
  const access = accessDiff(before, after);
  if (options.json) writeOut(json({ structural, access }));
  else writeOut(formatPolicyDiff(structural, access));
  return EXIT.OK;
}

export function formatPolicyDiff(structural: PolicyDiff, access: AccessDiff): string {
  const { added, removed, updated } = structural.summary;
  const lines: string[] = [];
  if (added + removed + updated === 0 && !structural.directory) {
    lines.push(`${bold('Structural changes:')} none`);
  } else {
    // formatDiff ends with its own `N added, N removed, N updated` line.
    lines.push(bold('Structural changes:'));
    for (const line of formatDiff(structural).trimEnd().split('\n')) lines.push(`  ${line}`);
  }
  lines.push('');
  const { flips, users, granted, revoked } = access.totals;
  if (flips === 0) {
    lines.push(`${bold('Access changes:')} none (no decision flips)`);
  } else {
    lines.push(
      `${bold('Access changes:')} ${plural(flips, 'decision')} flip for ${plural(users, 'user')} ` +
        `(${granted} granted, ${revoked} revoked)`,
    );
    for (const group of access.groups) lines.push(...formatAccessGroup(group));
  }
  return lines.join('\n');
}

function feedsText(feeds: readonly (string | null)[]): string {
  const names = feeds.map((f) => (f === null ? 'system scope' : f));
  return listWithMore(names, USERS_SHOWN);
}

function causeText(group: AccessChangeGroup): string {
  if (group.cause === null) return 'no grant decides any more: denied by default';
  if (group.causeSide === 'old') return `no longer via ${grantText(group.cause)}`;
  return `via ${grantText(group.cause)}`;
}

export function formatAccessGroup(group: AccessChangeGroup): string[] {
  const sign = group.change === 'granted' ? green('+ granted') : red('- revoked');
  return [
    `  ${sign} ${group.attributes.join(', ')} on ${feedsText(group.feeds)} ` +
      `for ${plural(group.users.length, 'user')} (${causeText(group)})`,
    `      ${listWithMore(group.users, USERS_SHOWN)}`,
  ];
}
