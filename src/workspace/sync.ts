// Sync between the mirror and an instance: pull (snapshot into the mirror, with progress),
// the draft's diff against its base (structural, access, lint), the three-way merge when the
// server moved since the base, and push (one atomic v1 change set with If-Match, verified by a
// re-pull). A push that fails for any reason leaves the draft as it was.
import { stringify } from 'yaml';
import {
  accessDiff,
  diffPolicies,
  lintPolicy,
  mergeChangeSets,
  parsePolicy,
  policiesEqual,
  PolicyError,
  readPolicyText,
  resolveConflicts,
  type AccessDiff,
  type ChangeSet,
  type Conflict,
  type DiffEntry,
  type LintFinding,
  type Policy,
  type PolicyDiff,
} from '../core/index';
import type { Connections } from './connections';
import { MirrorError, type DraftRecord, type Mirror } from './mirror';
import { policyFingerprint, pushProGet, readProGetPolicy, type ProGetStep } from './proget-sync';
import { RemoteError, type RemoteClient } from './remote-client';

export interface SyncProgress {
  connectionId: string;
  phase: 'pull' | 'push';
  done: number;
  total: number | null;
  message?: string;
}

export interface PullResult {
  revision: number;
  pulledAt: string;
  /** The revision the draft was made against. */
  baseRevision: number;
  /** The server moved since the draft's base: merge before pushing. */
  serverMoved: boolean;
}

export interface DraftDiff {
  baseRevision: number;
  serverRevision: number | null;
  serverMoved: boolean;
  summary: PolicyDiff['summary'];
  entries: DiffEntry[];
  directory?: { from: string; to: string };
  access: AccessDiff;
  lint: LintFinding[];
  changeSet: ChangeSet;
}

export interface MergeOutcome {
  /** True when the draft now sits on the server's revision (nothing left to choose). */
  merged: boolean;
  baseRevision: number;
  conflicts: Conflict[];
}

export type PushResult =
  | { status: 'nothing-to-push'; revision: number }
  | {
      status: 'pushed';
      revision: number;
      applied: number;
      verified: boolean;
      notApplied: DiffEntry[];
      /** A ProGet-only server: each call and whether it worked. */
      steps?: ProGetStep[];
    }
  | { status: 'lockout-refused'; findings: LintFinding[] }
  | { status: 'server-moved'; merge: MergeOutcome }
  | { status: 'failed'; kind: RemoteError['kind']; message: string };

export type ConflictChoice = 'ours' | 'theirs';

/** The lint rule that says nobody could administer the instance any more. */
const LOCKOUT_RULE = 'lockout-risk';

function snapshotPolicy(raw: Record<string, unknown>, url: string): Policy {
  try {
    return parsePolicy(raw);
  } catch (error) {
    if (error instanceof PolicyError)
      throw new RemoteError('not-instance', `${url} sent a snapshot that is not a valid policy`);
    throw error;
  }
}

export class Sync {
  /** Connections whose server offers only the ProGet-compatible APIs (found on pull). */
  private readonly progetOnly = new Set<string>();

  constructor(
    private readonly connections: Connections,
    private readonly onProgress: (progress: SyncProgress) => void = () => undefined,
  ) {}

  private get mirror(): Mirror {
    return this.connections.mirror;
  }

  /** Reads the server's snapshot into the mirror; the draft starts from it if there is none. */
  async pull(connectionId: string): Promise<PullResult> {
    const progress = (done: number, message: string) =>
      this.onProgress({ connectionId, phase: 'pull', done, total: 3, message });
    progress(0, 'connecting');
    const client = await this.connections.client(connectionId);
    const snapshot = await this.readServer(connectionId, client);
    progress(1, `read revision ${snapshot.revision}`);
    const saved = this.mirror.saveSnapshot(connectionId, snapshot.revision, snapshot.policy);
    progress(2, 'saved in the mirror');
    const draft = this.mirror.draft(connectionId) as DraftRecord;
    progress(3, 'done');
    return {
      revision: saved.revision,
      pulledAt: saved.pulledAt,
      baseRevision: draft.baseRevision,
      serverMoved: draft.baseRevision !== saved.revision,
    };
  }

  /** The server's policy: the v1 snapshot, or the ProGet lists when there is no v1 API. */
  private async readServer(
    connectionId: string,
    client: RemoteClient,
  ): Promise<{ revision: number; policy: Policy }> {
    if (!this.progetOnly.has(connectionId)) {
      try {
        const snapshot = await client.getSnapshot();
        return { revision: snapshot.revision, policy: snapshotPolicy(snapshot.policy, client.url) };
      } catch (error) {
        if (!(error instanceof RemoteError && error.status === 404)) throw error;
        this.progetOnly.add(connectionId);
      }
    }
    const directory = this.mirror.draft(connectionId)?.policy.directory ?? 'Built-in';
    const policy = await readProGetPolicy(client, directory);
    return { revision: policyFingerprint(policy), policy };
  }

  draft(connectionId: string): DraftRecord {
    const draft = this.mirror.draft(connectionId);
    if (draft === null)
      throw new MirrorError(
        `connection "${this.mirror.connection(connectionId).name}" has no draft yet: pull it first`,
      );
    return draft;
  }

  /** What the draft changes against its base: items, who can do what, and lint findings. */
  diff(connectionId: string): DraftDiff {
    const draft = this.draft(connectionId);
    const serverRevision = this.mirror.snapshot(connectionId)?.revision ?? null;
    const { summary, entries, directory, changeSet } = diffPolicies(draft.base, draft.policy);
    return {
      baseRevision: draft.baseRevision,
      serverRevision,
      serverMoved: serverRevision !== null && serverRevision !== draft.baseRevision,
      summary,
      entries,
      ...(directory !== undefined && { directory }),
      access: accessDiff(draft.base, draft.policy),
      lint: lintPolicy(draft.policy),
      changeSet,
    };
  }

  /**
   * Merges the server's changes since the draft's base into the draft (three-way). Without
   * conflicts the draft moves onto the last pulled revision; with conflicts nothing changes
   * and each conflict waits for a choice (resolve).
   */
  merge(connectionId: string): MergeOutcome {
    const { draft, snapshot, result } = this.mergeResult(connectionId);
    if (result === null) return { merged: true, baseRevision: draft.baseRevision, conflicts: [] };
    if (result.conflicts.length > 0)
      return { merged: false, baseRevision: draft.baseRevision, conflicts: result.conflicts };
    this.mirror.rebaseDraft(connectionId, snapshot.revision, snapshot.policy, result.merged);
    return { merged: true, baseRevision: snapshot.revision, conflicts: [] };
  }

  /** Applies a choice (keep mine / take theirs) for every conflict of the pending merge. */
  resolve(connectionId: string, choices: Record<string, ConflictChoice>): MergeOutcome {
    const { draft, snapshot, result } = this.mergeResult(connectionId);
    if (result === null)
      throw new MirrorError('there is nothing to merge: the draft is on the server revision');
    let policy: Policy;
    try {
      policy = resolveConflicts(draft.base, result, choices);
    } catch (error) {
      // A missing or unknown choice is the caller's; an invalid outcome stays a PolicyError.
      if (error instanceof PolicyError || !(error instanceof Error)) throw error;
      throw new MirrorError(error.message);
    }
    this.mirror.rebaseDraft(connectionId, snapshot.revision, snapshot.policy, policy);
    return { merged: true, baseRevision: snapshot.revision, conflicts: [] };
  }

  /**
   * Pushes the draft as one v1 change set guarded by If-Match on its base revision. A 412
   * (the server moved) pulls and merges, and the user reviews before pushing again. After a
   * push a re-pull verifies that the server now holds the draft.
   */
  async push(connectionId: string, options: { allowLockout?: boolean } = {}): Promise<PushResult> {
    const draft = this.draft(connectionId);
    const { changeSet } = diffPolicies(draft.base, draft.policy);
    if (changeSet.operations.length === 0)
      return { status: 'nothing-to-push', revision: draft.baseRevision };
    const lockout = lintPolicy(draft.policy).filter((finding) => finding.id === LOCKOUT_RULE);
    if (lockout.length > 0 && options.allowLockout !== true)
      return { status: 'lockout-refused', findings: lockout };
    const progress = (done: number, message: string) =>
      this.onProgress({ connectionId, phase: 'push', done, total: 3, message });
    progress(0, `sending ${changeSet.operations.length} operations`);
    if (this.progetOnly.has(connectionId)) return this.pushProGet(connectionId, draft);
    let pushed: { revision: number; applied: number };
    try {
      const client = await this.connections.client(connectionId);
      pushed = await client.postChanges(changeSet, draft.baseRevision, {
        allowLockout: options.allowLockout === true,
      });
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      if (error.kind === 'conflict') {
        progress(1, 'the server moved: pulling and merging');
        await this.pull(connectionId);
        return { status: 'server-moved', merge: this.merge(connectionId) };
      }
      return { status: 'failed', kind: error.kind, message: error.message };
    }
    progress(2, `applied as revision ${pushed.revision}: verifying`);
    const checked = await this.verifyPush(connectionId, draft, `revision ${pushed.revision}`);
    if (checked.status === 'failed') return checked;
    progress(3, checked.verified ? 'verified' : 'some changes did not apply');
    return { ...checked, revision: pushed.revision, applied: pushed.applied };
  }

  /**
   * After a push: re-pull and compare with the draft. What did not apply stays in the draft,
   * now on the server's revision. When the pull fails the draft stays on its old base: the
   * next push meets a moved server, merges the identical changes away and has nothing left.
   */
  private async verifyPush(
    connectionId: string,
    draft: DraftRecord,
    applied: string,
  ): Promise<
    | { status: 'pushed'; revision: number; verified: boolean; notApplied: DiffEntry[] }
    | (PushResult & { status: 'failed' })
  > {
    let revision: number;
    try {
      revision = (await this.pull(connectionId)).revision;
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      return {
        status: 'failed',
        kind: error.kind,
        message: `applied as ${applied}, but the verifying pull failed: ${error.message}; pull again`,
      };
    }
    const snapshot = this.mirror.snapshot(connectionId) as { revision: number; policy: Policy };
    const verified = policiesEqual(snapshot.policy, draft.policy);
    this.mirror.rebaseDraft(
      connectionId,
      snapshot.revision,
      snapshot.policy,
      verified ? snapshot.policy : draft.policy,
    );
    return {
      status: 'pushed',
      revision,
      verified,
      notApplied: verified ? [] : diffPolicies(snapshot.policy, draft.policy).entries,
    };
  }

  /**
   * A ProGet-only server: no If-Match, so the policy is read first and a server that moved
   * is merged instead; then the ordered calls, and a re-read that verifies.
   */
  private async pushProGet(connectionId: string, draft: DraftRecord): Promise<PushResult> {
    const progress = (done: number, message: string) =>
      this.onProgress({ connectionId, phase: 'push', done, total: 3, message });
    let steps: ProGetStep[];
    try {
      const client = await this.connections.client(connectionId);
      const now = await this.readServer(connectionId, client);
      if (now.revision !== draft.baseRevision) {
        this.mirror.saveSnapshot(connectionId, now.revision, now.policy);
        return { status: 'server-moved', merge: this.merge(connectionId) };
      }
      steps = await pushProGet(client, draft.base, draft.policy);
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      return { status: 'failed', kind: error.kind, message: error.message };
    }
    const applied = steps.filter((step) => step.ok).length;
    progress(2, `${applied} of ${steps.length} calls done: verifying`);
    const checked = await this.verifyPush(connectionId, draft, `${applied} calls`);
    if (checked.status === 'failed') return checked;
    progress(3, checked.verified ? 'verified' : 'some changes did not apply');
    return { ...checked, applied, steps };
  }

  /** The draft (or the last pulled snapshot) as a policy file. */
  exportPolicy(connectionId: string, which: 'draft' | 'snapshot', format: 'json' | 'yaml'): string {
    const policy =
      which === 'draft'
        ? this.draft(connectionId).policy
        : this.mirror.snapshot(connectionId)?.policy;
    if (policy === undefined) throw new MirrorError('nothing pulled yet: pull first');
    return format === 'yaml' ? stringify(policy) : `${JSON.stringify(policy, null, 2)}\n`;
  }

  /**
   * Makes the draft equal to a policy file (one undoable edit). The file's directory is
   * replaced by the draft's: a push always goes to the instance's active directory.
   */
  importPolicy(connectionId: string, text: string): DraftRecord {
    const draft = this.draft(connectionId);
    const file = readPolicyText(text) as Record<string, unknown> | null;
    const policy = parsePolicy(
      file !== null && typeof file === 'object' && !Array.isArray(file)
        ? { ...file, directory: draft.policy.directory }
        : file,
    );
    return this.mirror.replaceDraft(connectionId, policy, 'import a policy file');
  }

  private mergeResult(connectionId: string) {
    const draft = this.draft(connectionId);
    const snapshot = this.mirror.snapshot(connectionId);
    if (snapshot === null || snapshot.revision === draft.baseRevision)
      return { draft, snapshot: snapshot as { revision: number; policy: Policy }, result: null };
    const ours = diffPolicies(draft.base, draft.policy).changeSet;
    const theirs = diffPolicies(draft.base, snapshot.policy).changeSet;
    return { draft, snapshot, result: mergeChangeSets(draft.base, ours, theirs) };
  }
}
