// `feedgate policy test FILE TESTS [--json]`: runs assertions against a policy. TESTS is JSON
// or YAML: an array of { user, attribute, feed?, owner?, expect: allow|deny, name? } or
// { tests: [...] }. Prints each failure with the actual deciding grant, then `N passed, N failed`.
import type { Command } from 'commander';
import { z } from 'zod';
import { compile, formatPath, type Grant, type Policy, type Problem } from '../../core/index';
import { bold, grantText, json, red, scopeText } from '../format';
import {
  CliError,
  EXIT,
  act,
  problemLines,
  queryProblems,
  readDataFile,
  readPolicyFile,
  writeErr,
  writeOut,
} from '../io';

const text = (what: string) =>
  z.string({
    error: (issue) => (issue.input === undefined ? 'is required' : `${what} must be a string`),
  });
const nonEmpty = (what: string) => text(what).min(1, 'must not be empty');

const testCaseSchema = z.strictObject(
  {
    name: text('name').optional(),
    user: nonEmpty('user'),
    attribute: nonEmpty('attribute'),
    feed: nonEmpty('feed').optional(),
    owner: nonEmpty('owner').optional(),
    expect: z.enum(['allow', 'deny'], {
      error: (issue) => (issue.input === undefined ? 'is required' : 'must be "allow" or "deny"'),
    }),
  },
  {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? 'a test must be an object { user, attribute, feed?, owner?, expect, name? }'
        : undefined,
  },
);
const testsFileSchema = z.strictObject({
  tests: z.array(z.unknown(), { error: 'must be an array of tests' }),
});

export type TestCase = z.infer<typeof testCaseSchema>;

export interface TestResult {
  /** Where the test sits in the file: `[3]` or `tests[3]`. */
  path: string;
  name?: string;
  user: string;
  attribute: string;
  feed?: string;
  owner?: string;
  expect: 'allow' | 'deny';
  actual: 'allow' | 'deny';
  passed: boolean;
  decidedBy: Grant | null;
}

export function registerPolicyTest(policy: Command): void {
  const command = policy
    .command('test')
    .description('run allow/deny assertions (a JSON or YAML tests file) against a policy')
    .argument('<file>', 'policy file (JSON or YAML)')
    .argument(
      '<tests>',
      'tests file: [{ user, attribute, feed?, owner?, expect: allow|deny, name? }]',
    )
    .option('--json', 'print every result as JSON')
    .addHelpText(
      'after',
      '\nExit codes: 0 all passed, 1 a test failed, 2 bad input, 3 internal error.\n' +
        'Example:\n  feedgate policy test policy.json policy.tests.yaml',
    );
  act(command, (file: string, tests: string, options: { json?: boolean }) =>
    runTests(file, tests, options),
  );
}

function zodProblems(error: z.ZodError, prefix: readonly PropertyKey[]): Problem[] {
  return error.issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        message: 'unknown key',
      }));
    }
    return [{ path: formatPath(path), message: issue.message }];
  });
}

/** Reads and validates a tests file against the policy; throws CliError listing every problem. */
export function readTests(
  policy: Policy,
  policyFile: string,
  file: string,
): { path: string; test: TestCase }[] {
  const raw = readDataFile(file, 'tests file');
  let items: unknown[] = [];
  let prefix: PropertyKey[] = [];
  const problems: Problem[] = [];
  if (Array.isArray(raw)) {
    items = raw;
  } else if (raw !== null && typeof raw === 'object') {
    prefix = ['tests'];
    const result = testsFileSchema.safeParse(raw);
    if (!result.success) problems.push(...zodProblems(result.error, []));
    const list = (raw as { tests?: unknown }).tests;
    if (Array.isArray(list)) items = list;
  } else {
    problems.push({
      path: '(root)',
      message: 'expected an array of tests or an object { tests: [...] }',
    });
  }
  // Each test is checked on its own, so one malformed test hides nothing about the others.
  const tests: { path: string; test: TestCase }[] = [];
  items.forEach((item, i) => {
    const path = formatPath([...prefix, i]);
    const result = testCaseSchema.safeParse(item);
    if (result.success) tests.push({ path, test: result.data });
    else problems.push(...zodProblems(result.error, [...prefix, i]));
    // Names are checked against the policy even in a malformed test (when they are strings).
    const fields = (item ?? {}) as Record<string, unknown>;
    for (const field of ['user', 'attribute', 'feed', 'owner'] as const) {
      const value = fields[field];
      if (typeof value !== 'string' || value === '') continue;
      for (const message of queryProblems(policy, policyFile, { [field]: value })) {
        problems.push({ path: `${path}.${field}`, message });
      }
    }
  });
  if (problems.length > 0) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    throw new CliError(
      `${file} is not a valid tests file (${count})`,
      EXIT.BAD_INPUT,
      problemLines(file, problems),
    );
  }
  return tests;
}

function runTests(file: string, testsFile: string, options: { json?: boolean }): number {
  const policy = readPolicyFile(file);
  const tests = readTests(policy, file, testsFile);
  const compiled = compile(policy);
  const results: TestResult[] = tests.map(({ path, test }) => {
    const verdict = compiled.check({
      user: test.user,
      attribute: test.attribute,
      ...(test.feed !== undefined && { feed: test.feed }),
      ...(test.owner !== undefined && { owner: test.owner }),
    });
    if (verdict.errors.length > 0) throw new Error(verdict.errors.join('; '));
    const actual = verdict.allowed ? 'allow' : 'deny';
    return { path, ...test, actual, passed: actual === test.expect, decidedBy: verdict.decidedBy };
  });
  const failed = results.filter((r) => !r.passed).length;
  const passed = results.length - failed;
  if (tests.length === 0) writeErr(`feedgate: warning: ${testsFile} contains no tests`);
  if (options.json) {
    writeOut(json({ passed, failed, results }));
  } else {
    const lines = results.filter((r) => !r.passed).flatMap(formatFailure);
    lines.push(`${passed} passed, ${failed} failed`);
    writeOut(lines.join('\n'));
  }
  return failed > 0 ? EXIT.FAILED : EXIT.OK;
}

function formatFailure(result: TestResult): string[] {
  const label = result.name !== undefined ? `${result.path} "${result.name}"` : result.path;
  const owner = result.owner !== undefined ? ` · package owner ${result.owner}` : '';
  return [
    `${red('✗ FAIL')} ${bold(label)}: ${result.user} · ${result.attribute} · ${scopeText(result.feed)}${owner}`,
    `    expected ${result.expect}, got ${result.actual}: ${grantText(result.decidedBy)}`,
  ];
}
