// Grants (permissions and restrictions) of a directory. A row names exactly one principal
// (user or group, enforced by CHECK one_principal) and at most one of feed and feed group
// (CHECK one_scope); neither means global.
import type { Db } from '../database';
import { bit, prepared } from '../statements';

const SQL = {
  listNamed: `SELECT p.id, u.name AS user, g.name AS "group", t.name AS task,
      f.name AS feed, fg.name AS feedGroup, p.deny
    FROM permissions p
    JOIN tasks t ON t.id = p.task_id
    LEFT JOIN principals u ON u.id = p.user_id
    LEFT JOIN principals g ON g.id = p.group_id
    LEFT JOIN feeds f ON f.id = p.feed_id
    LEFT JOIN feed_groups fg ON fg.id = p.feed_group_id
    WHERE p.directory_id = ? ORDER BY p.id`,
  listIds: `SELECT id, user_id AS userId, group_id AS groupId, task_id AS taskId,
      feed_id AS feedId, feed_group_id AS feedGroupId, deny
    FROM permissions WHERE directory_id = ? ORDER BY id`,
  insert: `INSERT INTO permissions (directory_id, user_id, group_id, task_id, feed_id, feed_group_id, deny)
    VALUES (@directoryId, @userId, @groupId, @taskId, @feedId, @feedGroupId, @deny)`,
  remove: 'DELETE FROM permissions WHERE id = ?',
} as const;

export interface NamedPermissionRow {
  id: number;
  user: string | null;
  group: string | null;
  task: string;
  feed: string | null;
  feedGroup: string | null;
  deny: 0 | 1;
}

/** A grant by ids, as stored. */
export interface PermissionIds {
  userId: number | null;
  groupId: number | null;
  taskId: number;
  feedId: number | null;
  feedGroupId: number | null;
  deny: boolean;
}

export interface PermissionIdRow extends Omit<PermissionIds, 'deny'> {
  id: number;
  deny: 0 | 1;
}

export function listNamedPermissions(db: Db, directoryId: number): NamedPermissionRow[] {
  return prepared(db, SQL).listNamed.all(directoryId) as NamedPermissionRow[];
}

export function listPermissionIds(db: Db, directoryId: number): PermissionIdRow[] {
  return prepared(db, SQL).listIds.all(directoryId) as PermissionIdRow[];
}

export function insertPermission(db: Db, directoryId: number, grant: PermissionIds): number {
  const result = prepared(db, SQL).insert.run({ directoryId, ...grant, deny: bit(grant.deny) });
  return Number(result.lastInsertRowid);
}

export function removePermission(db: Db, id: number): void {
  prepared(db, SQL).remove.run(id);
}
