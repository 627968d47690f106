// `feedgate policy who FILE --attribute A [--feed F] [--json]`: every user (declared users
// and Anonymous) who has an attribute, and the grant through which they have it.
import type { Command } from 'commander';
import { isFeedScopedAttribute, policyUsers, whoHas, type Holder } from '../../core/index';
import { bold, dim, grantText, json, scopeText, table } from '../format';
import { EXIT, act, assertQuery, readPolicyFile, writeOut } from '../io';

interface WhoOptions {
  attribute: string;
  feed?: string;
  json?: boolean;
}

export function registerPolicyWho(policy: Command): void {
  const command = policy
    .command('who')
    .description('list every user who has an attribute (on a feed), and through which grant')
    .argument('<file>', 'policy file (JSON or YAML)')
    .requiredOption('-a, --attribute <id>', 'security attribute, e.g. Feeds_AddPackage')
    .option('-f, --feed <name>', 'feed concerned (omit for system scope)')
    .option('--json', 'print the users as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 success (even when nobody has the attribute), 2 bad input, 3 internal error.\n' +
        'Example:\n  feedgate policy who policy.json --attribute Feeds_AcceptPackagePromotions --feed Production',
    );
  act(command, (file: string, options: WhoOptions) => runWho(file, options));
}

function runWho(file: string, options: WhoOptions): number {
  const policy = readPolicyFile(file);
  assertQuery(policy, file, options);
  const holders = whoHas(policy, options.attribute, options.feed);
  const total = policyUsers(policy).length;
  if (options.json) {
    writeOut(
      json({
        attribute: options.attribute,
        feed: options.feed ?? null,
        usersChecked: total,
        users: holders,
      }),
    );
  } else {
    writeOut(formatWho(options.attribute, options.feed, holders, total));
  }
  return EXIT.OK;
}

export function formatWho(
  attribute: string,
  feed: string | undefined,
  holders: readonly Holder[],
  total: number,
): string {
  const systemOnly = feed !== undefined && !isFeedScopedAttribute(attribute);
  const where = systemOnly ? `system scope (${attribute} is a system attribute)` : scopeText(feed);
  const lines = [`${bold(attribute)} on ${where}: ${holders.length} of ${total} users`];
  if (holders.length === 0) {
    lines.push(dim('nobody has it'));
  } else {
    lines.push(
      table(
        holders.map((h) => [h.user, `via ${grantText(h.decidedBy)}`]),
        '  ',
      ),
    );
  }
  return lines.join('\n');
}
