// The feed management API (base /api/management/), in the habits of ProGet's Feed Management
// API: feeds/list, feeds/get/{feed}, feeds/create, feeds/update/{feed}, feeds/delete/{feed},
// and feed-groups/list|create|delete. Admin access, like the security API. Feeds and feed
// groups are part of the policy: every write goes through applyPolicyEdit (one transaction,
// the revision bumped, an audit entry). A feed's description and creation time are kept
// beside the policy. Deleting a feed or group that something still depends on is refused
// (409 with the counts) unless `?force=true`.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { FEED_ACCESS_TYPES, FEED_TYPES, nameSchema } from '../../../core/index';
import { removeStoredFile } from '../../feeds/package-files';
import type { Db } from '../../store/database';
import { listFeedGroups } from '../../store/sql/catalog';
import {
  feedDependents,
  feedGroupKeyCount,
  feedIdByName,
  listFeedDetails,
  listPackages,
  removePackage,
  setFeedDescription,
  type FeedDetailsRow,
} from '../../store/sql/packages';
import type { AppContext } from '../context';
import { HttpError } from '../errors';
import { applyPolicyEdit, indexOfName, type EditableFile } from './policy-edit';

const description = z.string().max(4000, 'must be at most 4000 characters');
const createSchema = z.strictObject({
  name: nameSchema,
  feedType: z.enum(FEED_TYPES).optional(),
  access: z.enum(FEED_ACCESS_TYPES).optional(),
  feedGroup: nameSchema.optional(),
  description: description.optional(),
});
const updateSchema = z.strictObject({
  feedType: z.enum(FEED_TYPES).optional(),
  access: z.enum(FEED_ACCESS_TYPES).optional(),
  /** null takes the feed out of its group. */
  feedGroup: nameSchema.nullable().optional(),
  description: description.optional(),
});
const feedParams = z.object({ feed: nameSchema });
const groupParams = z.object({ group: nameSchema });
const groupSchema = z.strictObject({ name: nameSchema });
// Not strict: `key` (the API key) may come along in the query.
const forceQuery = z.object({ force: z.enum(['true', 'false']).optional() });

/** A feed as the management API shows it. */
export interface FeedInfo {
  name: string;
  feedType: string;
  access: string;
  feedGroup?: string;
  description: string;
  createdAt: string | null;
  packageCount: number;
}

const feedInfo = (row: FeedDetailsRow): FeedInfo => ({
  name: row.name,
  feedType: row.feedType,
  access: row.access,
  ...(row.feedGroup !== null && { feedGroup: row.feedGroup }),
  description: row.description,
  createdAt: row.createdAt,
  packageCount: row.packageCount,
});

function feedDetails(db: Db, name: string): FeedInfo {
  const row = listFeedDetails(db).find((f) => f.name === name);
  if (!row) throw new HttpError(404, `no feed named "${name}"`);
  return feedInfo(row);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The 409 of a delete that something still depends on. */
const stillUsed = (what: string, counts: string[], forced = '') =>
  new HttpError(
    409,
    `${what} still has ${counts.join(', ')}: remove them first, or delete with ?force=true${forced}`,
  );

function checkFeedGroup(file: EditableFile, group: string | null | undefined): void {
  if (group !== undefined && group !== null && indexOfName(file.feedGroups, group) < 0)
    throw new HttpError(400, `feedGroup: no feed group named "${group}"`);
}

export function registerFeedManagement(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };
  const { db } = context;

  app.get('/api/management/feeds/list', { config }, async () => listFeedDetails(db).map(feedInfo));

  app.get(
    '/api/management/feeds/get/:feed',
    { config, schema: { params: feedParams } },
    async (request) => feedDetails(db, (request.params as z.infer<typeof feedParams>).feed),
  );

  app.post(
    '/api/management/feeds/create',
    { config, schema: { body: createSchema } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof createSchema>;
      const created = applyPolicyEdit(context, request.caller, {
        action: 'feeds.create',
        detail: {
          feed: body.name,
          feedType: body.feedType ?? 'universal',
          access: body.access ?? 'private',
        },
        change(file) {
          if (indexOfName(file.feeds, body.name) >= 0)
            throw new HttpError(409, `a feed named "${body.name}" already exists`);
          checkFeedGroup(file, body.feedGroup);
          file.feeds.push({
            name: body.name,
            feedType: body.feedType ?? 'universal',
            access: body.access ?? 'private',
            ...(body.feedGroup !== undefined && { feedGroup: body.feedGroup }),
          });
          return true;
        },
        focus: (file) => `feeds[${indexOfName(file.feeds, body.name)}]`,
        after(db) {
          if (body.description !== undefined) setFeedDescription(db, body.name, body.description);
          return feedDetails(db, body.name);
        },
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/management/feeds/update/:feed',
    { config, schema: { params: feedParams, body: updateSchema } },
    async (request) => {
      const { feed } = request.params as z.infer<typeof feedParams>;
      const body = request.body as z.infer<typeof updateSchema>;
      return applyPolicyEdit(context, request.caller, {
        action: 'feeds.update',
        detail: { feed, ...body },
        change(file) {
          const i = indexOfName(file.feeds, feed);
          const current = file.feeds[i];
          if (!current) throw new HttpError(404, `no feed named "${feed}"`);
          checkFeedGroup(file, body.feedGroup);
          const { feedGroup: oldGroup, ...rest } = current;
          const group = body.feedGroup === undefined ? oldGroup : (body.feedGroup ?? undefined);
          const next = {
            ...rest,
            ...(body.feedType !== undefined && { feedType: body.feedType }),
            ...(body.access !== undefined && { access: body.access }),
            ...(group !== undefined && { feedGroup: group }),
          };
          const changed = JSON.stringify(next) !== JSON.stringify(current);
          if (changed) file.feeds[i] = next;
          // A description alone is no policy change, but is written (and audited) all the same.
          return changed || body.description !== undefined;
        },
        focus: (file) => `feeds[${indexOfName(file.feeds, feed)}]`,
        after(db) {
          if (body.description !== undefined) setFeedDescription(db, feed, body.description);
          return feedDetails(db, feed);
        },
      });
    },
  );

  app.route({
    method: ['DELETE', 'POST'],
    url: '/api/management/feeds/delete/:feed',
    config,
    schema: { params: feedParams, querystring: forceQuery },
    handler: async (request) => {
      const { feed } = request.params as z.infer<typeof feedParams>;
      const force = (request.query as z.infer<typeof forceQuery>).force === 'true';
      const feedId = feedIdByName(db, feed);
      if (feedId === undefined) throw new HttpError(404, `no feed named "${feed}"`);
      const files: string[] = [];
      let removed = { grants: 0, packages: 0, feedKeys: 0 };
      applyPolicyEdit(context, request.caller, {
        action: 'feeds.delete',
        detail: { feed, force },
        change(file) {
          const grants = file.permissions.filter((p) => p.feed === feed).length;
          const { packages, feedKeys } = feedDependents(db, feedId);
          removed = { grants, packages, feedKeys };
          if (!force && grants + packages + feedKeys > 0)
            throw stillUsed(`feed "${feed}"`, [
              plural(grants, 'grant'),
              plural(packages, 'package'),
              plural(feedKeys, 'feed key'),
            ]);
          for (const p of listPackages(db, feed)) {
            removePackage(db, p.id);
            files.push(p.sha256);
          }
          file.permissions = file.permissions.filter((p) => p.feed !== feed);
          file.feeds.splice(indexOfName(file.feeds, feed), 1);
          return true;
        },
      });
      // After the commit: the rows are gone, so the files are no longer reachable.
      for (const sha256 of new Set(files)) removeStoredFile(context.dataDir, feedId, sha256);
      return { deleted: feed, ...(force && { removed }) };
    },
  });

  app.get('/api/management/feed-groups/list', { config }, async () => {
    const feeds = listFeedDetails(db);
    return listFeedGroups(db)
      .map((g) => ({
        name: g.name,
        feeds: feeds.filter((f) => f.feedGroup === g.name).map((f) => f.name),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });

  app.post(
    '/api/management/feed-groups/create',
    { config, schema: { body: groupSchema } },
    async (request, reply) => {
      const { name } = request.body as z.infer<typeof groupSchema>;
      applyPolicyEdit(context, request.caller, {
        action: 'feed-groups.create',
        detail: { feedGroup: name },
        change(file) {
          if (indexOfName(file.feedGroups, name) >= 0)
            throw new HttpError(409, `a feed group named "${name}" already exists`);
          file.feedGroups.push({ name });
          return true;
        },
      });
      return reply.code(201).send({ name, feeds: [] });
    },
  );

  app.route({
    method: ['DELETE', 'POST'],
    url: '/api/management/feed-groups/delete/:group',
    config,
    schema: { params: groupParams, querystring: forceQuery },
    handler: async (request) => {
      const { group } = request.params as z.infer<typeof groupParams>;
      const force = (request.query as z.infer<typeof forceQuery>).force === 'true';
      const row = listFeedGroups(db).find((g) => g.name === group);
      if (!row) throw new HttpError(404, `no feed group named "${group}"`);
      applyPolicyEdit(context, request.caller, {
        action: 'feed-groups.delete',
        detail: { feedGroup: group, force },
        change(file) {
          const feeds = file.feeds.filter((f) => f.feedGroup === group).length;
          const grants = file.permissions.filter((p) => p.feedGroup === group).length;
          const feedKeys = feedGroupKeyCount(db, row.id);
          if (!force && feeds + grants + feedKeys > 0)
            throw stillUsed(
              `feed group "${group}"`,
              [plural(feeds, 'feed'), plural(grants, 'grant'), plural(feedKeys, 'feed key')],
              ' (its feeds are kept, outside any group)',
            );
          file.feeds = file.feeds.map(({ feedGroup, ...f }) =>
            feedGroup === group ? f : { ...f, feedGroup },
          );
          file.permissions = file.permissions.filter((p) => p.feedGroup !== group);
          file.feedGroups.splice(indexOfName(file.feedGroups, group), 1);
          return true;
        },
      });
      return { deleted: group };
    },
  });
}
