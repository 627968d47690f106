// The v1 directories API: list, show, add, edit and remove LDAP directories, test one (binds,
// looks a user up, reports their groups, tries their password: changes nothing), refresh a
// user's cached groups, search a directory's principals a page at a time (pickers), and
// switch the active directory. A switch keeps every grant (only the active directory's grants
// apply), bumps the policy revision and is audited; so is every other write. A switch to a
// directory in which no user could administer the instance is refused (409) unless the body
// says `force: true`; for an LDAP directory that is decided by asking LDAP
// (Directories.ldapAdministrators, docs/ldap.md). No response holds a bind password.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { nameSchema, type Policy } from '../../../core/index';
import type { Caller } from '../../auth/authenticate';
import { DirectoryInputError } from '../../directory/directories';
import {
  LdapDirectory,
  LdapError,
  SEARCH_LIMITS,
  type PrincipalPage,
} from '../../directory/ldap-directory';
import { LockoutError, actorOf, administrators, lockoutReason, whyLockedOut } from '../../lockout';
import { readPolicy } from '../../store/policy-read';
import { appendAudit } from '../../store/sql/audit';
import {
  activeDirectory,
  directoryByName,
  setActiveDirectory,
  type DirectoryRow,
} from '../../store/sql/directories';
import { bumpRevision, policyRevision } from '../../store/sql/instance';
import type { AppContext } from '../context';
import { HttpError } from '../errors';

export const switchDirectorySchema = z.strictObject({
  name: nameSchema,
  force: z.boolean().optional(),
});

const nameParams = z.strictObject({ name: nameSchema });
// Query schemas are not strict: `key` (the API key) may come along in the query.
const forceQuery = z.object({ force: z.enum(['true', 'false']).optional() });
export const testDirectorySchema = z.strictObject({
  user: nameSchema.optional(),
  password: z.string().min(1, 'must not be empty').max(1024).optional(),
});
const refreshQuery = z.object({ user: nameSchema });
const pageNumber = (max: number) =>
  z
    .string()
    .regex(/^\d{1,6}$/, 'must be a whole number')
    .transform(Number)
    .refine((n) => n <= max, `must be at most ${max}`);
export const principalsQuery = z.object({
  search: z.string().max(256).default(''),
  kind: z.enum(['user', 'group', 'both']).default('both'),
  page: pageNumber(SEARCH_LIMITS.maxResults).default(0),
  pageSize: pageNumber(SEARCH_LIMITS.maxPageSize)
    .refine((n) => n >= 1, 'must be at least 1')
    .default(SEARCH_LIMITS.defaultPageSize),
});

/** The built-in directory's principals (its stored policy) as LDAP pages them: users first. */
function builtinPrincipals(
  context: AppContext,
  row: DirectoryRow,
  query: z.infer<typeof principalsQuery>,
): PrincipalPage {
  const policy = readPolicy(context.db, row.name);
  const term = query.search.toLowerCase();
  const matches = (name: string) => name.toLowerCase().includes(term);
  const all = [
    ...(query.kind === 'group' ? [] : policy.users)
      .filter((u) => matches(u.name) || matches(u.displayName ?? '') || matches(u.email ?? ''))
      .map((u) => ({
        kind: 'user' as const,
        directory: row.name,
        name: u.name,
        ...(u.displayName !== undefined && { displayName: u.displayName }),
        ...(u.email !== undefined && { email: u.email }),
      })),
    ...(query.kind === 'user' ? [] : policy.groups)
      .filter((g) => matches(g.name))
      .map((g) => ({ kind: 'group' as const, directory: row.name, name: g.name })),
  ];
  const offset = query.page * query.pageSize;
  return {
    principals: all.slice(offset, offset + query.pageSize) as PrincipalPage['principals'],
    page: query.page,
    pageSize: query.pageSize,
    hasMore: all.length > offset + query.pageSize,
  };
}

interface Switched {
  name: string;
  changed: boolean;
  revision: number;
}

/** Why nobody could administer with LDAP directory `client` active, or null when somebody can. */
async function ldapLockoutReason(
  context: AppContext,
  client: LdapDirectory,
  policy: Policy,
): Promise<string | null> {
  try {
    const found = await context.directories.ldapAdministrators(client, policy);
    if (found.length > 0) return null;
    return `No user or non-empty group of LDAP directory "${client.name}" is allowed Admin_ConfigureProGet at system scope by its grants.`;
  } catch (error) {
    if (!(error instanceof LdapError)) throw error;
    return `LDAP directory "${client.name}" could not be asked who could administer: ${error.message}.`;
  }
}

function lockoutError(
  context: AppContext,
  target: DirectoryRow,
  reason: string,
  policy: Policy,
  override: string,
): LockoutError {
  const current = activeDirectory(context.db);
  const before = context.policies.current();
  const admins = current ? administrators(before.policy, before.compiled) : [];
  return new LockoutError(
    `refused: no user of directory "${target.name}" could administer the instance once it is active. ${reason}${admins.length > 0 ? ` It would lock out: ${admins.join(', ')} (directory "${current?.name}").` : ''} ${override} to go ahead anyway.`,
    target.name,
    admins,
    override === 'Send "force": true' ? 'force' : 'force=true',
    whyLockedOut(admins, policy),
  );
}

function switchInTransaction(
  context: AppContext,
  body: z.infer<typeof switchDirectorySchema>,
  caller: Caller,
  /** For an LDAP target: what LDAP said (ldapLockoutReason); undefined: the policy decides. */
  ldapReason: string | null | undefined,
): Switched {
  const { db } = context;
  const target = directoryByName(db, body.name);
  if (!target) throw new HttpError(400, `name: unknown directory "${body.name}"`);
  const current = activeDirectory(db);
  if (current?.id === target.id)
    return { name: target.name, changed: false, revision: policyRevision(db) };
  const targetPolicy = readPolicy(db, target.name);
  const reason =
    target.kind === 'ldap' && ldapReason !== undefined ? ldapReason : lockoutReason(targetPolicy);
  const before = context.policies.current();
  const admins = current && reason !== null ? administrators(before.policy, before.compiled) : [];
  if (reason !== null && body.force !== true)
    throw lockoutError(context, target, reason, targetPolicy, 'Send "force": true');
  setActiveDirectory(db, target.id);
  const revision = bumpRevision(db);
  appendAudit(db, {
    actor: actorOf(caller),
    keyId: caller.keyId,
    action: 'directory.switch',
    detail: {
      from: current?.name ?? null,
      to: target.name,
      revision,
      ...(reason !== null && { forced: true, lockedOut: admins }),
    },
  });
  return { name: target.name, changed: true, revision };
}

function audit(context: AppContext, caller: Caller, action: string, detail: object): number {
  const revision = bumpRevision(context.db);
  appendAudit(context.db, {
    actor: actorOf(caller),
    keyId: caller.keyId,
    action,
    detail: { ...detail, revision },
  });
  return revision;
}

function existing(context: AppContext, name: string): DirectoryRow {
  const row = context.directories.find(name);
  if (!row) throw new HttpError(404, `no directory named "${name}"`);
  return row;
}

/** The client of LDAP directory `row`; 400 when it has no settings yet. */
function configured(context: AppContext, row: DirectoryRow): LdapDirectory {
  const client = context.directories.configuredClient(row);
  if (!client) throw new HttpError(400, `name: LDAP directory "${row.name}" has no settings yet`);
  return client;
}

function ldapOnly(row: DirectoryRow, what: string): void {
  if (row.kind !== 'ldap')
    throw new HttpError(400, `name: "${row.name}" is the built-in directory: ${what}`);
}

function inputErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof DirectoryInputError) throw new HttpError(400, error.message);
    throw error;
  }
}

function lookupFailure(error: unknown) {
  if (!(error instanceof LdapError)) throw error;
  return { code: error.code, message: error.message };
}

/** POST directories/{name}/test: each step reported; an LDAP failure is a result, not an error. */
async function testDirectory(client: LdapDirectory, body: z.infer<typeof testDirectorySchema>) {
  const result: Record<string, unknown> = { directory: client.name };
  try {
    result.connection = await client.testConnection();
  } catch (error) {
    return { ...result, ok: false, error: lookupFailure(error) };
  }
  if (body.user === undefined) return { ...result, ok: true };
  try {
    const user = await client.findUser(body.user);
    if (user === undefined)
      return { ...result, ok: false, user: { name: body.user, found: false } };
    const groups = await client.groupsOf(user);
    result.user = { ...user, found: true, groups: groups.map((g) => g.name) };
  } catch (error) {
    return { ...result, ok: false, error: lookupFailure(error) };
  }
  if (body.password === undefined) return { ...result, ok: true };
  try {
    await client.signIn(body.user, body.password);
    return { ...result, ok: true, signIn: { ok: true } };
  } catch (error) {
    const failure = lookupFailure(error);
    return { ...result, ok: false, signIn: { ok: false, ...failure } };
  }
}

export function registerV1Directories(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };
  const base = '/api/feedgate/v1/directories';
  const caller = (request: { caller: Caller | null }) => request.caller as Caller;

  app.get(base, { config }, async () => context.directories.list());

  app.get(`${base}/:name`, { config, schema: { params: nameParams } }, async (request) => {
    const { name } = request.params as z.infer<typeof nameParams>;
    return context.directories.view(existing(context, name));
  });

  app.post(base, { config }, async (request, reply) => {
    const view = context.db
      .transaction(() => {
        const added = inputErrors(() => context.directories.add(request.body));
        audit(context, caller(request), 'directory.add', {
          name: added.name,
          config: added.config,
        });
        return added;
      })
      .immediate();
    return reply.code(201).send(view);
  });

  const edit = (replace: boolean) => async (request: FastifyRequest, reply: FastifyReply) => {
    const { name } = request.params as z.infer<typeof nameParams>;
    const { force } = request.query as z.infer<typeof forceQuery>;
    const row = existing(context, name);
    const planned = inputErrors(() => context.directories.planEdit(row, request.body, replace));
    // Editing the active directory can lock everyone out just as a switch can.
    if (row.active === 1 && force !== 'true') {
      const policy = readPolicy(context.db, row.name);
      const reason = await ldapLockoutReason(context, new LdapDirectory(planned), policy);
      if (reason !== null)
        return reply
          .code(409)
          .send(lockoutError(context, row, reason, policy, 'Add ?force=true').body());
    }
    return context.db
      .transaction(() => {
        const saved = context.directories.saveEdit(row, planned);
        audit(context, caller(request), 'directory.edit', { name, config: saved.config });
        return saved;
      })
      .immediate();
  };
  const editSchema = { params: nameParams, querystring: forceQuery };
  app.put(`${base}/:name`, { config, schema: editSchema }, edit(true));
  app.patch(`${base}/:name`, { config, schema: editSchema }, edit(false));

  app.delete(`${base}/:name`, { config, schema: { params: nameParams } }, async (request) => {
    const { name } = request.params as z.infer<typeof nameParams>;
    return context.db
      .transaction(() => {
        const row = existing(context, name);
        ldapOnly(row, 'it cannot be removed');
        if (row.active === 1)
          throw new HttpError(
            409,
            `"${name}" is the active directory: activate another one (PUT ${base}/active) before removing it`,
          );
        context.directories.remove(row);
        const revision = audit(context, caller(request), 'directory.remove', { name });
        return { name, removed: true, revision };
      })
      .immediate();
  });

  app.post(
    `${base}/:name/test`,
    { config, schema: { params: nameParams, body: testDirectorySchema.optional() } },
    async (request) => {
      const { name } = request.params as z.infer<typeof nameParams>;
      const row = existing(context, name);
      ldapOnly(row, 'there is nothing to test');
      const body = (request.body ?? {}) as z.infer<typeof testDirectorySchema>;
      if (body.password !== undefined && body.user === undefined)
        throw new HttpError(400, 'user is required with password');
      return testDirectory(configured(context, row), body);
    },
  );

  app.post(
    `${base}/:name/refresh`,
    { config, schema: { params: nameParams, querystring: refreshQuery } },
    async (request) => {
      const { name } = request.params as z.infer<typeof nameParams>;
      const { user: login } = request.query as z.infer<typeof refreshQuery>;
      const row = existing(context, name);
      ldapOnly(row, 'its memberships are not cached');
      const client = configured(context, row);
      try {
        const user = await client.findUser(login);
        if (user === undefined)
          throw new HttpError(404, `user: no user "${login}" in directory "${name}"`);
        const groups = await client.refresh(user);
        return { directory: name, user: user.name, groups: groups.map((g) => g.name) };
      } catch (error) {
        if (error instanceof LdapError)
          throw new HttpError(503, `directory unavailable: ${error.message}`);
        throw error;
      }
    },
  );

  app.get(
    `${base}/:name/principals`,
    { config, schema: { params: nameParams, querystring: principalsQuery } },
    async (request) => {
      const { name } = request.params as z.infer<typeof nameParams>;
      const query = request.query as z.infer<typeof principalsQuery>;
      const row = existing(context, name);
      if (row.kind !== 'ldap') return builtinPrincipals(context, row, query);
      try {
        return await configured(context, row).searchPrincipals(query.search, query);
      } catch (error) {
        if (!(error instanceof LdapError)) throw error;
        if (error.code === 'invalid-request') throw new HttpError(400, error.message);
        throw new HttpError(503, `directory unavailable: ${error.message}`);
      }
    },
  );

  app.put(
    `${base}/active`,
    { config, schema: { body: switchDirectorySchema } },
    async (request, reply) => {
      const body = request.body as z.infer<typeof switchDirectorySchema>;
      const target = directoryByName(context.db, body.name);
      // LDAP is asked before the transaction: no await may run inside one. It is asked for a
      // forced switch too, so that the audit entry says whether it locked anyone out. An LDAP
      // directory without settings is decided by its stored policy alone.
      const client =
        target?.kind === 'ldap' && target.active !== 1
          ? context.directories.configuredClient(target)
          : undefined;
      const ldapReason = client
        ? await ldapLockoutReason(context, client, readPolicy(context.db, client.name))
        : undefined;
      try {
        const result = context.db
          .transaction(() => switchInTransaction(context, body, caller(request), ldapReason))
          .immediate();
        reply.header('etag', `"${result.revision}"`);
        return result;
      } catch (error) {
        if (error instanceof LockoutError) return reply.code(409).send(error.body());
        throw error;
      }
    },
  );
}
