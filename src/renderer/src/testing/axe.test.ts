// The scan helper must be able to fail: a control with no accessible name is serious.
import { describe, expect, it } from 'vitest';
import { seriousViolations } from './axe';

describe('seriousViolations', () => {
  it('reports a button without an accessible name and passes a labelled one', async () => {
    const root = document.createElement('div');
    root.innerHTML = '<button type="button"></button>';
    document.body.append(root);
    expect((await seriousViolations(root)).join('\n')).toMatch(/^button-name:/);
    root.innerHTML = '<button type="button">Delete</button>';
    expect(await seriousViolations(root)).toEqual([]);
    root.remove();
  });
});
