// Three-way merge of two change sets made against a common base. Both sides are reduced to
// facts (see change-facts.ts); identical facts apply once, facts on different slots both
// apply, and the rest become conflicts whose facts stay out of the merged policy. A fixpoint
// then keeps the merged policy valid: a fact that needs an item the merge drops, or that
// the other side removes, joins a conflict. See docs/change-sets.md.
import { factId, factsToChangeSet, operationsToFacts, type Fact } from './change-facts';
import {
  ChangeSetError,
  applyChangeSet,
  type ChangeSet,
  type ItemKind,
  type Operation,
} from './change-set';
import {
  SIDES,
  coupled,
  denyConflicts,
  itemId,
  newContext,
  slotConflicts,
  type Entry,
} from './merge-context';
import { propagate } from './merge-propagate';
import type { Policy } from './model';
import { PolicyError } from './parse';

export type Side = 'ours' | 'theirs';

export interface Conflict {
  /** Stable id, the key of `resolveConflicts` choices: `user:bob`, `feed:f1:access`, `permission:…`. */
  id: string;
  kind: ItemKind;
  /** The item's key; for a permission conflict its grant identity (principal|task|scope). */
  key: string;
  reason: string;
  base: unknown;
  ours: unknown;
  theirs: unknown;
  /** What each side would apply if chosen (the base choice applies neither). */
  operations: { ours: Operation[]; theirs: Operation[] };
}

export interface MergeResult {
  merged: Policy;
  /** Ours ∪ theirs, non-conflicting, deduplicated, in canonical form. */
  applied: ChangeSet;
  conflicts: Conflict[];
}

/** Drops edge removals made moot by the removal of one of their principals. */
function withoutMootEdges(facts: readonly Fact[]): Fact[] {
  const removed = new Set(facts.flatMap((f) => (f.type === 'remove' ? [itemId(f)] : [])));
  const gone = (kind: ItemKind, key: string) => removed.has(itemId({ kind, key }));
  return facts.filter(
    (f) =>
      !(f.type === 'member' && !f.added && (gone('user', f.user) || gone('group', f.group))) &&
      !(f.type === 'nest' && !f.added && (gone('group', f.parent) || gone('group', f.child))),
  );
}

function applySide(base: Policy, changeSet: ChangeSet, side: Side): Policy {
  try {
    return applyChangeSet(base, changeSet);
  } catch (error) {
    if (error instanceof PolicyError)
      throw new PolicyError(error.problems, `${side}: the change set does not apply to the base`);
    throw new Error(`${side}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** Three-way merge of two change sets made against `base`. */
export function mergeChangeSets(base: Policy, ours: ChangeSet, theirs: ChangeSet): MergeResult {
  const policies = {
    ours: applySide(base, ours, 'ours'),
    theirs: applySide(base, theirs, 'theirs'),
  };
  const ctx = newContext(base, policies);
  slotConflicts(ctx);
  denyConflicts(ctx);
  while (propagate(ctx));
  const accepted = withoutMootEdges(
    [...ctx.entries.values()].filter((e) => !e.excluded).map((e) => e.fact),
  );
  const applied = factsToChangeSet(accepted, base.directory);
  if (ours.allowLockout === true && theirs.allowLockout === true) applied.allowLockout = true;
  let merged: Policy;
  try {
    merged = applyChangeSet(base, applied);
  } catch (error) {
    throw new Error(
      `merge produced a change set that does not apply (a bug): ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  const factsOf = (ids: Set<string>) => [...ids].map((id) => (ctx.entries.get(id) as Entry).fact);
  const conflicts = coupled(ctx).map(({ facts, remover: _, ...c }): Conflict => ({
    ...c,
    operations: {
      ours: factsToChangeSet(factsOf(facts.ours)).operations,
      theirs: factsToChangeSet(factsOf(facts.theirs)).operations,
    },
  }));
  return {
    merged,
    applied,
    conflicts: conflicts.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  };
}

/**
 * Applies the chosen side of every conflict on top of the merge's applied change set. A fact
 * that loses in any conflict stays out. Throws if a choice is missing or the outcome is invalid.
 */
export function resolveConflicts(
  base: Policy,
  result: MergeResult,
  choices: Record<string, 'ours' | 'theirs' | 'base'>,
): Policy {
  const ids = new Set(result.conflicts.map((c) => c.id));
  for (const id of Object.keys(choices))
    if (!ids.has(id)) throw new Error(`no conflict "${id}" to resolve`);
  const chosen = new Map<string, Fact>();
  const lost = new Set<string>();
  for (const c of result.conflicts) {
    const choice = choices[c.id];
    if (choice !== 'ours' && choice !== 'theirs' && choice !== 'base')
      throw new Error(`conflict "${c.id}" needs a choice: ours, theirs or base`);
    const picked = choice === 'base' ? [] : operationsToFacts(c.operations[choice]);
    const pickedIds = new Set(picked.map(factId));
    for (const f of picked) chosen.set(factId(f), f);
    for (const side of SIDES)
      for (const f of operationsToFacts(c.operations[side]))
        if (!pickedIds.has(factId(f))) lost.add(factId(f));
  }
  const facts = new Map(operationsToFacts(result.applied.operations).map((f) => [factId(f), f]));
  for (const [id, f] of chosen) if (!lost.has(id)) facts.set(id, f);
  const changeSet = factsToChangeSet(
    withoutMootEdges([...facts.values()]),
    result.applied.directory,
  );
  try {
    return applyChangeSet(base, changeSet);
  } catch (error) {
    if (error instanceof PolicyError)
      throw new PolicyError(error.problems, 'the chosen resolution leaves an invalid policy');
    if (error instanceof ChangeSetError)
      throw new Error(`the chosen resolution does not apply: ${error.message}`, { cause: error });
    throw error;
  }
}
