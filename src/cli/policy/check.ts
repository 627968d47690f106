// `feedgate policy check FILE --user U --attribute A [--feed F] [--owner O] [--json]`:
// one decision with the deciding grant and the trace of every applicable grant.
import type { Command } from 'commander';
import { isFeedScopedAttribute, resolve, type Decision, type Query } from '../../core/index';
import { bold, dim, grantText, json, plural, scopeText, verdictWord } from '../format';
import { EXIT, act, assertQuery, readPolicyFile, writeOut } from '../io';

interface CheckOptions {
  user: string;
  attribute: string;
  feed?: string;
  owner?: string;
  json?: boolean;
}

export function registerPolicyCheck(policy: Command): void {
  const command = policy
    .command('check')
    .description('decide whether a user may perform an attribute (on a feed), and why')
    .argument('<file>', 'policy file (JSON or YAML)')
    .requiredOption('-u, --user <name>', 'user asking (a declared user, or Anonymous)')
    .requiredOption('-a, --attribute <id>', 'security attribute, e.g. Feeds_AddPackage')
    .option('-f, --feed <name>', 'feed concerned (omit for system scope)')
    .option('-o, --owner <name>', 'user who owns the package concerned (community feeds)')
    .option('--json', 'print the decision as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 allowed, 1 denied, 2 bad input, 3 internal error.\n' +
        'Example:\n  feedgate policy check policy.json --user alice --attribute Feeds_AddPackage --feed Production',
    );
  act(command, (file: string, options: CheckOptions) => runCheck(file, options));
}

function runCheck(file: string, options: CheckOptions): number {
  const policy = readPolicyFile(file);
  assertQuery(policy, file, options);
  const query: Query = {
    user: options.user,
    attribute: options.attribute,
    ...(options.feed !== undefined && { feed: options.feed }),
    ...(options.owner !== undefined && { owner: options.owner }),
  };
  const decision = resolve(policy, query);
  if (decision.errors.length > 0) throw new Error(decision.errors.join('; '));
  if (options.json) {
    const { allowed, decidedBy, trace } = decision;
    writeOut(json({ allowed, decidedBy, trace }));
  } else {
    writeOut(formatDecision(query, decision));
  }
  return decision.allowed ? EXIT.OK : EXIT.FAILED;
}

export function formatDecision(query: Query, decision: Decision): string {
  const systemOnly = query.feed !== undefined && !isFeedScopedAttribute(query.attribute);
  const where = systemOnly
    ? `system scope (${query.attribute} is a system attribute; the feed does not matter)`
    : scopeText(query.feed);
  const owner = query.owner !== undefined ? ` · package owner ${query.owner}` : '';
  const lines = [
    `${verdictWord(decision.allowed)}  ${bold(query.user)} · ${query.attribute} · ${where}${owner}`,
    `Decided by: ${grantText(decision.decidedBy)}`,
  ];
  if (decision.trace.length > 0) {
    lines.push(
      '',
      `Trace (${plural(decision.trace.length, 'applicable grant')}, in resolution order):`,
    );
    decision.trace.forEach((entry, i) => {
      const marker = entry.decided ? '→' : ' ';
      lines.push(`  ${marker} ${i + 1}. ${grantText(entry.grant)}`);
      lines.push(`       ${dim(entry.decided ? entry.reason : `lost: ${entry.reason}`)}`);
    });
  } else {
    lines.push('', 'Trace: no grant applies to this user, attribute and scope.');
  }
  return lines.join('\n');
}
