// `feedgate policy lint FILE [--json]`: the task hazards and other findings, with severity.
// Exit 1 when any finding is an error; warnings and info alone exit 0.
import type { Command } from 'commander';
import { lintPolicy, type LintFinding } from '../../core/index';
import { bold, cyan, dim, json, plural, red, yellow } from '../format';
import { EXIT, act, readPolicyFile, writeOut } from '../io';

type Severity = LintFinding['severity'];
type Item = LintFinding['items'][number];

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function registerPolicyLint(policy: Command): void {
  const command = policy
    .command('lint')
    .description('find task hazards and other problems in a policy, with severity')
    .argument('<file>', 'policy file (JSON or YAML)')
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 no error-severity finding, 1 an error-severity finding, 2 bad input, 3 internal error.\n' +
        'Example:\n  feedgate policy lint policy.json',
    );
  act(command, (file: string, options: { json?: boolean }) => runLint(file, options));
}

export function lintSummary(findings: readonly LintFinding[]): {
  errors: number;
  warnings: number;
  infos: number;
} {
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info') };
}

function runLint(file: string, options: { json?: boolean }): number {
  const policy = readPolicyFile(file);
  const findings = [...lintPolicy(policy)].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  const summary = lintSummary(findings);
  if (options.json) writeOut(json({ findings, summary }));
  else writeOut(formatLint(file, findings));
  return summary.errors > 0 ? EXIT.FAILED : EXIT.OK;
}

function severityText(severity: Severity): string {
  const padded = severity.padEnd(7);
  return severity === 'error'
    ? red(padded)
    : severity === 'warning'
      ? yellow(padded)
      : cyan(padded);
}

function itemText(item: Item): string {
  const what = item.name !== undefined ? `${item.kind} "${item.name}"` : item.kind;
  return item.path !== undefined ? `${item.path} (${what})` : what;
}

export function formatLint(file: string, findings: readonly LintFinding[]): string {
  const lines: string[] = [];
  for (const finding of findings) {
    lines.push(`${severityText(finding.severity)}  ${bold(finding.id)}  ${finding.message}`);
    if (finding.items.length > 0) {
      lines.push(dim(`         at: ${finding.items.map(itemText).join(', ')}`));
    }
  }
  const { errors, warnings, infos } = lintSummary(findings);
  if (findings.length === 0) lines.push(`${file}: no findings`);
  else lines.push('');
  lines.push(
    `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(infos, 'info', 'info')}`,
  );
  return lines.join('\n');
}
