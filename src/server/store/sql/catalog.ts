// Instance-wide items shared by every directory: feed groups, feeds, tasks and their
// attributes. Rows are kept by name (upserts), so ids stay stable for API keys and grants.
import type { Db } from '../database';
import { prepared } from '../statements';

const SQL = {
  feedGroups: 'SELECT id, name FROM feed_groups ORDER BY id',
  upsertFeedGroup: 'INSERT INTO feed_groups (name) VALUES (?) ON CONFLICT (name) DO NOTHING',
  removeFeedGroup: 'DELETE FROM feed_groups WHERE id = ?',
  feeds: `SELECT f.id, f.name, f.feed_type AS feedType, g.name AS feedGroup, f.access
    FROM feeds f LEFT JOIN feed_groups g ON g.id = f.feed_group_id ORDER BY f.id`,
  upsertFeed: `INSERT INTO feeds (name, feed_type, feed_group_id, access)
    VALUES (@name, @feedType, @feedGroupId, @access)
    ON CONFLICT (name) DO UPDATE SET feed_type = excluded.feed_type,
      feed_group_id = excluded.feed_group_id, access = excluded.access`,
  removeFeed: 'DELETE FROM feeds WHERE id = ?',
  tasks: 'SELECT id, name, description FROM tasks ORDER BY id',
  taskId: 'SELECT id FROM tasks WHERE name = ?',
  taskAttributes: `SELECT task_id AS taskId, attribute FROM task_attributes
    ORDER BY task_id, position`,
  upsertTask: `INSERT INTO tasks (name, description) VALUES (?, ?)
    ON CONFLICT (name) DO UPDATE SET description = excluded.description`,
  clearTaskAttributes: 'DELETE FROM task_attributes WHERE task_id = ?',
  addTaskAttribute: 'INSERT INTO task_attributes (task_id, attribute, position) VALUES (?, ?, ?)',
  removeTask: 'DELETE FROM tasks WHERE id = ?',
  feedUsedElsewhere: `SELECT d.name FROM permissions p JOIN directories d ON d.id = p.directory_id
    WHERE p.feed_id = ? AND p.directory_id <> ? LIMIT 1`,
  feedGroupUsedElsewhere: `SELECT d.name FROM permissions p JOIN directories d ON d.id = p.directory_id
    WHERE p.feed_group_id = ? AND p.directory_id <> ? LIMIT 1`,
  taskUsedElsewhere: `SELECT d.name FROM permissions p JOIN directories d ON d.id = p.directory_id
    WHERE p.task_id = ? AND p.directory_id <> ? LIMIT 1`,
} as const;

export interface NamedRow {
  id: number;
  name: string;
}

export interface FeedRow extends NamedRow {
  feedType: string;
  feedGroup: string | null;
  access: string;
}

export interface TaskRow extends NamedRow {
  description: string;
  attributes: string[];
}

export interface FeedInput {
  name: string;
  feedType: string;
  feedGroupId: number | null;
  access: string;
}

export function listFeedGroups(db: Db): NamedRow[] {
  return prepared(db, SQL).feedGroups.all() as NamedRow[];
}

export function upsertFeedGroup(db: Db, name: string): void {
  prepared(db, SQL).upsertFeedGroup.run(name);
}

export function removeFeedGroup(db: Db, id: number): void {
  prepared(db, SQL).removeFeedGroup.run(id);
}

export function listFeeds(db: Db): FeedRow[] {
  return prepared(db, SQL).feeds.all() as FeedRow[];
}

export function upsertFeed(db: Db, feed: FeedInput): void {
  prepared(db, SQL).upsertFeed.run(feed);
}

export function removeFeed(db: Db, id: number): void {
  prepared(db, SQL).removeFeed.run(id);
}

/** Tasks with their attributes in stored order. */
export function listTasks(db: Db): TaskRow[] {
  const statements = prepared(db, SQL);
  const tasks = (statements.tasks.all() as Omit<TaskRow, 'attributes'>[]).map((t) => ({
    ...t,
    attributes: [] as string[],
  }));
  const byId = new Map(tasks.map((t) => [t.id, t]));
  for (const row of statements.taskAttributes.all() as { taskId: number; attribute: string }[])
    byId.get(row.taskId)?.attributes.push(row.attribute);
  return tasks;
}

/** Creates or updates a task and replaces its attributes. */
export function upsertTask(
  db: Db,
  name: string,
  description: string,
  attributes: readonly string[],
): void {
  const statements = prepared(db, SQL);
  statements.upsertTask.run(name, description);
  const { id } = statements.taskId.get(name) as { id: number };
  statements.clearTaskAttributes.run(id);
  attributes.forEach((attribute, position) =>
    statements.addTaskAttribute.run(id, attribute, position),
  );
}

export function removeTask(db: Db, id: number): void {
  prepared(db, SQL).removeTask.run(id);
}

export type CatalogKind = 'feed' | 'feedGroup' | 'task';

/** The name of another directory whose grants use this feed, feed group or task, if any. */
export function usedByOtherDirectory(
  db: Db,
  kind: CatalogKind,
  id: number,
  directoryId: number,
): string | undefined {
  const statements = prepared(db, SQL);
  const statement =
    kind === 'feed'
      ? statements.feedUsedElsewhere
      : kind === 'feedGroup'
        ? statements.feedGroupUsedElsewhere
        : statements.taskUsedElsewhere;
  return (statement.get(id, directoryId) as { name: string } | undefined)?.name;
}
