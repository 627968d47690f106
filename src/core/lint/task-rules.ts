// Task hazards (security-model.md, "Task hazards"): rules that look at one task's
// attributes alone, so the task editor can run them live.
import { ATTRIBUTE_IDS, PROXY_ALL, attributesMetBy } from '../catalog';
import type { LintFinding, LintItem } from './types';

const VIEW = 'Feeds_ViewFeed';
const DOWNLOAD = 'Feeds_DownloadPackage';
const ADD = 'Feeds_AddPackage';
const DELETE = 'Feeds_DeletePackage';
const OVERWRITE = 'Feeds_OverwritePackage';
const ACCEPT = 'Feeds_AcceptPackagePromotions';

/** Attributes that change or move packages: meaningless without seeing the feed. */
export const SENSITIVE_ATTRIBUTES: readonly string[] = [
  'Admin_ManageFeed',
  DELETE,
  ADD,
  OVERWRITE,
  'Feeds_UnlistPackage',
  ACCEPT,
  'Feeds_PullPackage',
];

export interface TaskLike {
  readonly name: string;
  readonly attributes: readonly string[];
}

const list = (names: readonly string[]): string =>
  names.length <= 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;

/** The task-hazard findings of one task: permission-by-proxy, nonsensical-access, promotion-without-view-download. */
export function taskHazards(task: TaskLike, item: LintItem): LintFinding[] {
  const has = new Set(task.attributes);
  const met = attributesMetBy(has);
  const findings: LintFinding[] = [];
  const name = `Task "${task.name}"`;

  if (has.has(PROXY_ALL)) {
    if (ATTRIBUTE_IDS.every((a) => has.has(a))) {
      findings.push({
        id: 'permission-by-proxy',
        severity: 'info',
        message: `${name} holds every attribute, including Admin_ConfigureProGet, so its holders can change their own permissions (permission by proxy). This is intended for administrators: grant it to them only.`,
        items: [item],
      });
    } else {
      findings.push({
        id: 'permission-by-proxy',
        severity: 'warning',
        message: `${name} contains Admin_ConfigureProGet, which lets its holders change their own permissions, so it amounts to Administer whatever else it leaves out (permission by proxy). Remove Admin_ConfigureProGet from the task, or use Administer and grant it to administrators only.`,
        items: [item],
      });
    }
  } else if (met.has(ADD) && met.has(DELETE) && !met.has(OVERWRITE)) {
    findings.push({
      id: 'permission-by-proxy',
      severity: 'warning',
      message: `${name} has ${ADD} and ${DELETE} but not ${OVERWRITE}: its holders can still overwrite a package version by deleting it and adding it again (permission by proxy). Add ${OVERWRITE} to make that explicit, or remove ${DELETE}.`,
      items: [item],
    });
  }

  const sensitive = SENSITIVE_ATTRIBUTES.filter((a) => has.has(a));
  if (sensitive.length > 0 && !met.has(VIEW)) {
    findings.push({
      id: 'nonsensical-access',
      severity: 'warning',
      message: `${name} has ${list(sensitive)} but not ${VIEW}: its holders could change packages in a feed they cannot see (nonsensical access). Add ${VIEW} to the task.`,
      items: [item],
    });
  }

  if (has.has(ACCEPT)) {
    const missing = [VIEW, DOWNLOAD].filter((a) => !met.has(a));
    if (missing.length > 0) {
      findings.push({
        id: 'promotion-without-view-download',
        severity: 'warning',
        message: `${name} has ${ACCEPT} but not ${list(missing)}: a promoter also needs view and download on the source feed, so holders of this task alone cannot promote. Add ${list(missing)} to the task.`,
        items: [item],
      });
    }
  }
  return findings;
}
