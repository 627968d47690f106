// Accessibility scan for component tests: axe-core over a rendered component in jsdom.
// jsdom does no layout, so colour contrast (and anything needing computed geometry) cannot
// be judged here; it is switched off and left to the Chromium end-to-end scans.
import axe from 'axe-core';
import { expect } from 'vitest';

const SERIOUS = new Set(['serious', 'critical']);

/** The serious or critical axe violations inside `root`, as "rule-id: help (n nodes)". */
export async function seriousViolations(root: Element): Promise<string[]> {
  const results = await axe.run(root, {
    rules: {
      'color-contrast': { enabled: false },
      // A lone component is not a page: landmarks belong to the shell, which is scanned whole.
      region: { enabled: false },
    },
  });
  return results.violations
    .filter((v) => SERIOUS.has(v.impact ?? ''))
    .map((v) => `${v.id}: ${v.help} (${v.nodes.length} nodes)`);
}

export async function expectNoSeriousViolations(root: Element): Promise<void> {
  expect(await seriousViolations(root)).toEqual([]);
}
