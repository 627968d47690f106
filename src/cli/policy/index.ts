// `feedgate policy ...`: questions about a policy file, one file per command.
import type { Command } from 'commander';
import { registerPolicyCheck } from './check';
import { registerPolicyDiff } from './diff';
import { registerPolicyExplain } from './explain';
import { registerPolicyExport } from './export';
import { registerPolicyImport } from './import';
import { registerPolicyLint } from './lint';
import { registerPolicyTest } from './test';
import { registerPolicyWho } from './who';

export function registerPolicy(program: Command): void {
  const policy = program
    .command('policy')
    .description(
      'check, explain, lint, test and diff policy files (JSON or YAML); export and import them',
    );
  registerPolicyCheck(policy);
  registerPolicyExplain(policy);
  registerPolicyWho(policy);
  registerPolicyLint(policy);
  registerPolicyTest(policy);
  registerPolicyDiff(policy);
  registerPolicyExport(policy);
  registerPolicyImport(policy);
}
