// Policy lint, task hazards (security-model.md, "Task hazards", and docs/lint-rules.md): every
// rule fires on a minimal task with the hazard and not on the fixed one.
import { describe, expect, it } from 'vitest';
import { ATTRIBUTE_IDS, BUILT_IN_TASKS, lintTask } from '../../src/core/index';
import {
  ACCEPT,
  ADD,
  DELETE,
  DOWNLOAD,
  OVERWRITE,
  VIEW,
  of,
  policyOf,
  taskIds,
} from '../helpers/lint';

describe('task hazards', () => {
  it('built-in tasks: only Administer is flagged, once, as intended (info)', () => {
    for (const t of BUILT_IN_TASKS) {
      const findings = lintTask(t).map((f) => `${f.severity}:${f.id}`);
      expect(findings, t.name).toEqual(t.name === 'Administer' ? ['info:permission-by-proxy'] : []);
    }
  });

  it('permission-by-proxy: add and delete without overwrite', () => {
    const [finding] = lintTask({ name: 'Curate', attributes: [VIEW, DOWNLOAD, ADD, DELETE] });
    expect(finding).toMatchObject({
      id: 'permission-by-proxy',
      severity: 'warning',
      items: [{ kind: 'task', name: 'Curate' }],
    });
    expect(finding?.message).toContain('Curate');
    expect(finding?.message).toContain(OVERWRITE);
    expect(taskIds([VIEW, DOWNLOAD, ADD, DELETE, OVERWRITE])).toEqual([]);
    expect(taskIds([VIEW, ADD])).toEqual([]);
  });

  it('permission-by-proxy: Admin_ManageFeed meets overwrite, so add and delete with it are fine', () => {
    expect(taskIds(['Admin_ManageFeed', ADD, DELETE])).toEqual([]);
  });

  it('permission-by-proxy: Admin_ConfigureProGet short of Administer lets holders change their own permissions', () => {
    const findings = lintTask({
      name: 'Ops',
      attributes: ['Admin_ConfigureProGet', 'Licenses_Manage'],
    });
    expect(findings.map((f) => `${f.severity}:${f.id}`)).toEqual(['warning:permission-by-proxy']);
    expect(findings[0]?.message).toMatch(/change their own permissions/);
    expect(taskIds(['Licenses_Manage'])).toEqual([]);
    // every attribute under another name: the intended Administer note, once
    expect(taskIds([...ATTRIBUTE_IDS])).toEqual(['info:permission-by-proxy']);
  });

  it('nonsensical-access: sensitive attributes without view', () => {
    for (const a of [DELETE, ADD, OVERWRITE, 'Feeds_UnlistPackage', 'Feeds_PullPackage']) {
      expect(taskIds([DOWNLOAD, a]), a).toEqual(['warning:nonsensical-access']);
      expect(taskIds([VIEW, DOWNLOAD, a]), a).toEqual([]);
    }
    expect(lintTask({ name: 'Pusher', attributes: [ADD] })[0]?.message).toMatch(
      /Pusher.*Feeds_ViewFeed/,
    );
    expect(taskIds(['Admin_ManageFeed'])).toEqual([]); // view met by proxy
  });

  it('promotion-without-view-download', () => {
    expect(taskIds([VIEW, ACCEPT])).toEqual(['warning:promotion-without-view-download']);
    expect(taskIds([ACCEPT])).toEqual([
      'warning:nonsensical-access',
      'warning:promotion-without-view-download',
    ]);
    expect(lintTask({ name: 'P', attributes: [VIEW, ACCEPT] })[0]?.message).toContain(DOWNLOAD);
    expect(taskIds([VIEW, DOWNLOAD, ACCEPT])).toEqual([]);
    expect(taskIds(['Admin_ManageFeed', ACCEPT])).toEqual([]);
  });

  it('lintPolicy reports the hazards of the policy tasks with their path', () => {
    const findings = of(
      policyOf({
        tasks: [{ name: 'Curate', attributes: [VIEW, ADD, DELETE] }],
        permissions: [{ user: 'Admin', task: 'Curate' }],
      }),
      'permission-by-proxy',
    );
    expect(findings.filter((f) => f.severity === 'warning')).toEqual([
      expect.objectContaining({
        items: [{ kind: 'task', name: 'Curate', path: `tasks[${BUILT_IN_TASKS.length}]` }],
      }),
    ]);
  });
});
