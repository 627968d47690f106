// `feedgate policy ...`: questions about a policy file, one file per command.
import type { Command } from 'commander';
import { registerPolicyCheck } from './check';
import { registerPolicyDiff } from './diff';
import { registerPolicyExplain } from './explain';
import { registerPolicyLint } from './lint';
import { registerPolicyTest } from './test';
import { registerPolicyWho } from './who';

export function registerPolicy(program: Command): void {
  const policy = program
    .command('policy')
    .description('check, explain, lint, test and diff policy files (JSON or YAML)');
  registerPolicyCheck(policy);
  registerPolicyExplain(policy);
  registerPolicyWho(policy);
  registerPolicyLint(policy);
  registerPolicyTest(policy);
  registerPolicyDiff(policy);
}
