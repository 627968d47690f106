// A simple universal package protocol per feed (docs/packages.md), every operation decided per
// request by FeedAccess (the compiled engine of the current revision for users and anonymous
// callers, scope and permissions for feed keys):
//   GET    /feeds/{feed}/packages                         list (Feeds_ViewFeed)
//   GET    /feeds/{feed}/packages/{name}/{version}        download (Feeds_DownloadPackage)
//   GET    /feeds/{feed}/packages/{name}/{version}/info   metadata (Feeds_ViewFeed)
//   PUT    /feeds/{feed}/packages/{name}/{version}        add (Feeds_AddPackage); an existing
//          version needs ?overwrite=true and Feeds_OverwritePackage on its uploader's package
//   DELETE /feeds/{feed}/packages/{name}/{version}        delete (Feeds_DeletePackage)
//   POST   /feeds/{feed}/packages/{name}/{version}/unlist|relist   (Feeds_UnlistPackage)
//   POST   /feeds/{feed}/pull     {fromFeed, name, version}  (Feeds_PullPackage here; view and
//          download on fromFeed)
//   POST   /feeds/{feed}/promote  {toFeed, name, version}    (view and download here;
//          Feeds_AcceptPackagePromotions on toFeed)
// Credentials are optional: none means the Anonymous user. Credentials that do not
// authenticate get 401; a denied anonymous caller gets 401 with WWW-Authenticate (so that
// clients ask for credentials), a denied authenticated one 403.
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ANONYMOUS, nameSchema } from '../../../core/index';
import { readCredentials, type Caller } from '../../auth/authenticate';
import {
  FEED_ATTRIBUTES,
  FeedAccess,
  type FeedAttribute,
  type FeedDecider,
  type FeedTarget,
  type Owner,
} from '../../feeds/feed-access';
import {
  PackageTooLargeError,
  clearIncoming,
  copyStoredFile,
  discardFile,
  packageFilePath,
  placeFile,
  receiveFile,
  removeStoredFile,
  type ReceivedFile,
} from '../../feeds/package-files';
import {
  feedByName,
  insertPackage,
  listPackages,
  packageFileUsers,
  packageRow,
  removePackage,
  replacePackage,
  setPackageListed,
  type PackageFile,
  type PackageRow,
} from '../../store/sql/packages';
import { answerAuthFailure } from '../auth-failure';
import { actorOf } from '../../lockout';
import { appendAudit } from '../../store/sql/audit';
import { storeVersion } from '../../store/sql/instance';
import type { AppContext } from '../context';
import { HttpError } from '../errors';

const packageName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,255}$/,
    'must be 1 to 256 letters, digits, or . _ + - (starting with a letter or digit)',
  );
const packageVersion = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/,
    'must be 1 to 128 letters, digits, or . _ + - (starting with a letter or digit)',
  );

const feedParams = z.object({ feed: nameSchema });
const packageParams = z.object({ feed: nameSchema, name: packageName, version: packageVersion });
const listQuery = z.object({ unlisted: z.enum(['true', 'false']).optional() });
const putQuery = z.object({ overwrite: z.enum(['true', 'false']).optional() });
const pullBody = z.strictObject({
  fromFeed: nameSchema,
  name: packageName,
  version: packageVersion,
});
const promoteBody = z.strictObject({
  toFeed: nameSchema,
  name: packageName,
  version: packageVersion,
});

type PackageParams = z.infer<typeof packageParams>;

/** Downloads up to this size are read whole and sent with their length. */
const WHOLE_FILE_BYTES = 4 * 1024 * 1024;

const REALM = 'Basic realm="feedgate", charset="UTF-8"';
const REJECTED_BODY = {
  error: 'authentication failed: the API key or user:password was not accepted',
};

/** A package as the API shows it. */
export interface PackageInfo {
  feed: string;
  name: string;
  version: string;
  size: number;
  sha256: string;
  listed: boolean;
  uploader?: string;
  uploaderDirectory?: string;
  createdAt: string;
  updatedAt: string;
}

export const packageInfo = (row: PackageRow): PackageInfo => ({
  feed: row.feed,
  name: row.name,
  version: row.version,
  size: row.size,
  sha256: row.sha256,
  listed: row.listed === 1,
  ...(row.uploader !== null && { uploader: row.uploader }),
  ...(row.uploaderDirectory !== null && { uploaderDirectory: row.uploaderDirectory }),
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

const ownerOf = (row: PackageRow): Owner => ({
  user: row.uploader,
  directory: row.uploaderDirectory,
});

/** Who a package added by `caller` belongs to: a user, or nobody (keys other than personal). */
const uploaderOf = (caller: Caller | null): Pick<PackageFile, 'uploader' | 'uploaderDirectory'> =>
  caller?.user !== undefined && caller.directory !== undefined
    ? { uploader: caller.user, uploaderDirectory: caller.directory }
    : { uploader: null, uploaderDirectory: null };

/**
 * `access` decides every operation; servers always get the engine's (buildApp passes none).
 * Only the download benchmark's harness (test/bench) passes another, to measure the engine's share.
 */
export function registerPackages(
  app: FastifyInstance,
  context: Pick<AppContext, 'db' | 'dataDir' | 'policies' | 'authenticator'>,
  access: FeedDecider = new FeedAccess(context.db, context.policies),
): void {
  const { db, dataDir } = context;
  clearIncoming(dataDir);

  /** Optional authentication: no credentials is the anonymous caller. */
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const credentials = readCredentials(request.headers, request.query);
    if (credentials === undefined) return;
    const version = (request.storeVersion = storeVersion(db));
    const result = await context.authenticator.authenticate(credentials, request.ip, version);
    if (result.ok) {
      request.caller = result.caller;
      return;
    }
    if (answerAuthFailure(request, reply, result)) return reply;
    return reply.code(401).header('www-authenticate', REALM).send(REJECTED_BODY);
  };

  const feedTarget = (name: string): FeedTarget & { id: number } => {
    const feed = feedByName(db, name);
    if (!feed) throw new HttpError(404, `no feed named "${name}"`);
    return feed;
  };

  /** Throws 401 (anonymous) or 403 unless the caller may. */
  const demand = (
    request: FastifyRequest,
    reply: FastifyReply,
    attribute: FeedAttribute,
    feed: FeedTarget,
    owner?: Owner,
  ): void => {
    if (access.allowed(request.caller, attribute, feed, owner, request.storeVersion)) return;
    request.log.info(
      { caller: request.caller?.label ?? 'anonymous', attribute, feed: feed.name },
      'package operation denied',
    );
    if (request.caller === null) {
      reply.header('www-authenticate', REALM);
      throw new HttpError(
        401,
        `anonymous access to feed "${feed.name}" is not allowed (${attribute}): send an API key or user:password`,
      );
    }
    throw new HttpError(403, `not allowed: ${attribute} on feed "${feed.name}"`);
  };

  /** The package, once the caller may view the feed (so that a 404 tells nothing to others). */
  const existing = (
    request: FastifyRequest,
    reply: FastifyReply,
    feed: FeedTarget,
    p: PackageParams,
  ): PackageRow => {
    const row = packageRow(db, feed.name, p.name, p.version);
    if (row) return row;
    demand(request, reply, FEED_ATTRIBUTES.view, feed);
    throw new HttpError(404, `no package ${p.name} ${p.version} in feed "${feed.name}"`);
  };

  /** The feed and package of a `/{name}/{version}` request, once `attribute` is allowed on it. */
  const authorizedPackage = (
    request: FastifyRequest,
    reply: FastifyReply,
    attribute: FeedAttribute,
  ): { feed: FeedTarget & { id: number }; row: PackageRow } => {
    const params = request.params as PackageParams;
    const feed = feedTarget(params.feed);
    const row = existing(request, reply, feed, params);
    demand(request, reply, attribute, feed, ownerOf(row));
    return { feed, row };
  };

  /** Package changes other than adds are audited: who deleted, replaced, hid or copied what. */
  const audit = (
    request: FastifyRequest,
    action: string,
    row: PackageRow,
    detail: Record<string, unknown> = {},
  ) =>
    appendAudit(db, {
      actor: request.caller === null ? ANONYMOUS : actorOf(request.caller),
      keyId: request.caller?.keyId ?? null,
      action,
      detail: { feed: row.feed, name: row.name, version: row.version, ...detail },
    });

  /** Removes a feed's file once no version of that feed is stored as it. */
  const releaseFile = (feedId: number, sha256: string) => {
    if (packageFileUsers(db, feedId, sha256) === 0) removeStoredFile(dataDir, feedId, sha256);
  };

  const hooks = { onRequest: authenticate };

  app.get(
    '/feeds/:feed/packages',
    { ...hooks, schema: { params: feedParams, querystring: listQuery } },
    async (request, reply) => {
      const feed = feedTarget((request.params as z.infer<typeof feedParams>).feed);
      demand(request, reply, FEED_ATTRIBUTES.view, feed);
      const all = (request.query as z.infer<typeof listQuery>).unlisted === 'true';
      return listPackages(db, feed.name)
        .filter((p) => all || p.listed === 1)
        .map(packageInfo);
    },
  );

  app.get(
    '/feeds/:feed/packages/:name/:version',
    { ...hooks, schema: { params: packageParams } },
    async (request, reply) => {
      const { feed, row } = authorizedPackage(request, reply, FEED_ATTRIBUTES.download);
      const file = packageFilePath(dataDir, feed.id, row.sha256);
      reply
        .header('content-type', 'application/octet-stream')
        .header('etag', `"${row.sha256}"`)
        .header('x-checksum-sha256', row.sha256)
        .header('content-disposition', `attachment; filename="${row.name}-${row.version}"`);
      // A small file is sent whole, with its length, in one write that also ends the response.
      // A large one is streamed chunked: with a length, a client could have every byte before
      // the server's last write completes, and a server closing then waits on that connection.
      return reply.send(
        row.size <= WHOLE_FILE_BYTES ? await readFile(file) : createReadStream(file),
      );
    },
  );

  app.get(
    '/feeds/:feed/packages/:name/:version/info',
    { ...hooks, schema: { params: packageParams } },
    async (request, reply) => {
      const { row } = authorizedPackage(request, reply, FEED_ATTRIBUTES.view);
      return packageInfo(row);
    },
  );

  app.delete(
    '/feeds/:feed/packages/:name/:version',
    { ...hooks, schema: { params: packageParams } },
    async (request, reply) => {
      const { feed, row } = authorizedPackage(request, reply, FEED_ATTRIBUTES.delete);
      db.transaction(() => {
        removePackage(db, row.id);
        audit(request, 'packages.delete', row, { sha256: row.sha256 });
      })();
      releaseFile(feed.id, row.sha256);
      return { deleted: { feed: feed.name, name: row.name, version: row.version } };
    },
  );

  for (const [verb, listed] of [
    ['unlist', false],
    ['relist', true],
  ] as const)
    app.post(
      `/feeds/:feed/packages/:name/:version/${verb}`,
      { ...hooks, schema: { params: packageParams } },
      async (request, reply) => {
        const { feed, row } = authorizedPackage(request, reply, FEED_ATTRIBUTES.unlist);
        if ((row.listed === 1) !== listed)
          db.transaction(() => {
            setPackageListed(db, row.id, listed);
            audit(request, `packages.${verb}`, row);
          })();
        return packageInfo(packageRow(db, feed.name, row.name, row.version) as PackageRow);
      },
    );

  /**
   * Adds a version, or overwrites it when allowed: the decision is made before the body is
   * read, and again (on the row as it is then) before the write.
   */
  const checkAdd = (
    request: FastifyRequest,
    reply: FastifyReply,
    feed: FeedTarget,
    row: PackageRow | undefined,
    overwrite: boolean,
  ) => {
    demand(request, reply, FEED_ATTRIBUTES.add, feed);
    if (!row) return;
    if (!overwrite)
      throw new HttpError(
        409,
        `${row.name} ${row.version} already exists in feed "${feed.name}": send ?overwrite=true to replace it`,
      );
    demand(request, reply, FEED_ATTRIBUTES.overwrite, feed, ownerOf(row));
  };

  /** Stores a version (new or overwritten) for a file already in the feed's folder. */
  const store = (
    feed: FeedTarget & { id: number },
    name: string,
    version: string,
    file: PackageFile,
    row: PackageRow | undefined,
  ): PackageRow => {
    if (row) replacePackage(db, row.id, file);
    else insertPackage(db, feed.id, name, version, file);
    if (row && row.sha256 !== file.sha256) releaseFile(feed.id, row.sha256);
    return packageRow(db, feed.name, name, version) as PackageRow;
  };

  // Uploads take the raw body as a stream (no parsing, no buffering): a scope of their own,
  // since content type parsers are per scope.
  void app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    uploads.put(
      '/feeds/:feed/packages/:name/:version',
      { ...hooks, schema: { params: packageParams, querystring: putQuery } },
      async (request, reply) => {
        const params = request.params as PackageParams;
        const overwrite = (request.query as z.infer<typeof putQuery>).overwrite === 'true';
        const feed = feedTarget(params.feed);
        checkAdd(
          request,
          reply,
          feed,
          packageRow(db, feed.name, params.name, params.version),
          overwrite,
        );
        if (request.body === undefined || request.body === null)
          throw new HttpError(400, 'the body is empty: send the package file');
        let file: ReceivedFile;
        try {
          file = await receiveFile(dataDir, request.body as Readable);
        } catch (error) {
          if (error instanceof PackageTooLargeError) throw new HttpError(413, error.message);
          request.log.info({ code: (error as { code?: unknown }).code }, 'upload interrupted');
          throw new HttpError(400, 'the upload was interrupted before the whole body arrived');
        }
        try {
          const stored = db
            .transaction(() => {
              // The state may have changed while the body streamed in: decide again.
              const row = packageRow(db, feed.name, params.name, params.version);
              checkAdd(request, reply, feedTarget(feed.name), row, overwrite);
              placeFile(dataDir, feed.id, file);
              if (row)
                audit(request, 'packages.overwrite', row, {
                  previousSha256: row.sha256,
                  sha256: file.sha256,
                });
              return store(
                feed,
                params.name,
                params.version,
                { ...uploaderOf(request.caller), size: file.size, sha256: file.sha256 },
                row,
              );
            })
            .immediate();
          return reply.code(201).send(packageInfo(stored));
        } finally {
          discardFile(file); // a no-op once placed
        }
      },
    );
  });

  /** Copies a version from one feed to another (pull and promote). */
  const copy = (
    from: FeedTarget & { id: number },
    to: FeedTarget & { id: number },
    row: PackageRow,
    uploader: Pick<PackageFile, 'uploader' | 'uploaderDirectory'>,
    request: FastifyRequest,
    action: 'packages.pull' | 'packages.promote',
  ) =>
    db
      .transaction(() => {
        if (packageRow(db, to.name, row.name, row.version))
          throw new HttpError(
            409,
            `${row.name} ${row.version} already exists in feed "${to.name}"`,
          );
        copyStoredFile(dataDir, from.id, to.id, row.sha256);
        audit(request, action, row, { from: from.name, to: to.name, sha256: row.sha256 });
        return store(
          to,
          row.name,
          row.version,
          { ...uploader, size: row.size, sha256: row.sha256 },
          undefined,
        );
      })
      .immediate();

  /** The version to copy out of `source`: pulling and promoting need view and download there. */
  const copySource = (
    request: FastifyRequest,
    reply: FastifyReply,
    source: FeedTarget,
    wanted: { name: string; version: string },
  ): PackageRow => {
    const row = existing(request, reply, source, { feed: source.name, ...wanted });
    demand(request, reply, FEED_ATTRIBUTES.view, source, ownerOf(row));
    demand(request, reply, FEED_ATTRIBUTES.download, source, ownerOf(row));
    return row;
  };

  app.post(
    '/feeds/:feed/pull',
    { ...hooks, schema: { params: feedParams, body: pullBody } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof pullBody>;
      const target = feedTarget((request.params as z.infer<typeof feedParams>).feed);
      demand(request, reply, FEED_ATTRIBUTES.pull, target);
      const source = feedTarget(body.fromFeed);
      const row = copySource(request, reply, source, body);
      // Whoever pulls a package into a feed is its uploader there.
      return reply
        .code(201)
        .send(
          packageInfo(
            copy(source, target, row, uploaderOf(request.caller), request, 'packages.pull'),
          ),
        );
    },
  );

  app.post(
    '/feeds/:feed/promote',
    { ...hooks, schema: { params: feedParams, body: promoteBody } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof promoteBody>;
      const source = feedTarget((request.params as z.infer<typeof feedParams>).feed);
      const row = copySource(request, reply, source, body);
      const target = feedTarget(body.toFeed);
      demand(request, reply, FEED_ATTRIBUTES.acceptPromotion, target);
      // A promoted package keeps its uploader: it is the same package, moved along a pipeline.
      return reply.code(201).send(
        packageInfo(
          copy(
            source,
            target,
            row,
            {
              uploader: row.uploader,
              uploaderDirectory: row.uploaderDirectory,
            },
            request,
            'packages.promote',
          ),
        ),
      );
    },
  );
}
