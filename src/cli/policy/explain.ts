// `feedgate policy explain FILE --user U [--feed F] [--owner O] [--json]`: every attribute
// (catalog order, grouped by category) for one user, allowed or not, and the deciding grant.
import type { Command } from 'commander';
import { explainUser, type AttributeDecision } from '../../core/index';
import { allowDeny, bold, dim, grantText, json, mark, scopeText, table } from '../format';
import { EXIT, act, assertQuery, readPolicyFile, writeOut } from '../io';

interface ExplainOptions {
  user: string;
  feed?: string;
  owner?: string;
  json?: boolean;
}

export function registerPolicyExplain(policy: Command): void {
  const command = policy
    .command('explain')
    .description(
      'list every attribute a user has or lacks (on a feed), and the grant deciding each',
    )
    .argument('<file>', 'policy file (JSON or YAML)')
    .requiredOption('-u, --user <name>', 'user to explain (a declared user, or Anonymous)')
    .option('-f, --feed <name>', 'feed concerned (omit for system scope)')
    .option('-o, --owner <name>', 'user who owns the package concerned (community feeds)')
    .option('--json', 'print the decisions as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 2 bad input, 3 internal error.\n' +
        'Example:\n  feedgate policy explain policy.json --user alice --feed Production',
    );
  act(command, (file: string, options: ExplainOptions) => runExplain(file, options));
}

function runExplain(file: string, options: ExplainOptions): number {
  const policy = readPolicyFile(file);
  assertQuery(policy, file, options);
  const decisions = explainUser(policy, options.user, options.feed, options.owner);
  const allowed = decisions.filter((d) => d.allowed).length;
  if (options.json) {
    writeOut(
      json({
        user: options.user,
        feed: options.feed ?? null,
        ...(options.owner !== undefined && { owner: options.owner }),
        allowed,
        total: decisions.length,
        attributes: decisions,
      }),
    );
  } else {
    writeOut(formatExplain(options.user, options.feed, decisions));
  }
  return EXIT.OK;
}

export function formatExplain(
  user: string,
  feed: string | undefined,
  decisions: readonly AttributeDecision[],
): string {
  const allowed = decisions.filter((d) => d.allowed).length;
  const lines = [
    `${bold(user)} on ${scopeText(feed)}: ${allowed} of ${decisions.length} attributes allowed`,
  ];
  if (feed !== undefined) lines.push(dim('(system attributes are decided at system scope)'));
  // One table for every category, so that columns line up across the headings.
  const rows = table(
    decisions.map((d) => [
      mark(d.allowed),
      d.attribute,
      allowDeny(d.allowed),
      ...(feed !== undefined ? [d.scope === 'feed' ? 'feed' : dim('system')] : []),
      grantText(d.decidedBy),
    ]),
    '  ',
  ).split('\n');
  decisions.forEach((d, i) => {
    if (i === 0 || decisions[i - 1]?.category !== d.category) lines.push('', bold(d.category));
    lines.push(rows[i] as string);
  });
  return lines.join('\n');
}
