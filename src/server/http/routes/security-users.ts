// The ProGet-compatible security API's writes of users and groups (base /api/security/):
// users/add, users/update, users/delete, groups/add, groups/update, groups/delete. Passwords
// are write-only: hashed with scrypt before the transaction, never returned, never logged.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { nameSchema, type Policy } from '../../../core/index';
import { groupSchema, userSchema } from '../../../core/policy-schema';
import { hashPassword, passwordProblem, type PasswordHash } from '../../auth/passwords';
import type { Db } from '../../store/database';
import { resolveDirectory } from '../../store/policy-read';
import { findPrincipal, setUserPassword } from '../../store/sql/principals';
import type { AppContext } from '../context';
import { HttpError } from '../errors';
import { applyPolicyEdit, indexOfName, type EditableFile } from './policy-edit';

const userBodySchema = userSchema.extend({ password: z.string().optional() });
const groupBodySchema = groupSchema;
type UserBody = z.infer<typeof userBodySchema>;
type GroupBody = z.infer<typeof groupBodySchema>;

// Not strict: `key` (the API key) may come along in the query.
const userQuerySchema = z.object({ user: nameSchema });
const groupQuerySchema = z.object({ group: nameSchema });

function securityUser(policy: Policy | null, name: string) {
  const user = policy?.users.find((u) => u.name === name);
  if (!user) return undefined;
  return {
    name: user.name,
    ...(user.displayName !== undefined && { displayName: user.displayName }),
    ...(user.email !== undefined && { email: user.email }),
    groups: [...user.groups],
  };
}

function securityGroup(policy: Policy | null, name: string) {
  const group = policy?.groups.find((g) => g.name === name);
  return group && { name: group.name, users: [...group.users] };
}

async function passwordHash(password: string | undefined): Promise<PasswordHash | undefined> {
  if (password === undefined) return undefined;
  const problem = passwordProblem(password);
  if (problem !== undefined) throw new HttpError(400, `password: ${problem}`);
  return hashPassword(password);
}

function storePassword(db: Db, name: string, hash: PasswordHash | undefined): void {
  if (!hash) return;
  const directory = resolveDirectory(db);
  setUserPassword(db, findPrincipal(db, directory.id, 'user', name) as number, hash);
}

/** Sets the user's direct groups to `groups` (memberships are stored on the groups' side). */
function setUserGroups(file: EditableFile, name: string, groups: readonly string[]): void {
  for (const g of file.groups) if (g.users) g.users = g.users.filter((u) => u !== name);
  const user = file.users[indexOfName(file.users, name)];
  if (user) user.groups = [...groups];
}

/** Removes a principal's grants; returns how many. */
function removeGrants(file: EditableFile, kind: 'user' | 'group', name: string): number {
  const before = file.permissions.length;
  file.permissions = file.permissions.filter((p) => p[kind] !== name);
  return before - file.permissions.length;
}

export function registerSecurityUsers(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };

  /** users/delete?user= and groups/delete?group=: memberships and grants go too; absent = 200. */
  const principalDelete = (
    kind: 'user' | 'group',
    remove: (file: EditableFile, name: string) => boolean,
  ) =>
    app.delete(
      `/api/security/${kind}s/delete`,
      { config, schema: { querystring: kind === 'user' ? userQuerySchema : groupQuerySchema } },
      async (request) => {
        const name = (request.query as Record<typeof kind, string>)[kind];
        let grants = 0;
        applyPolicyEdit(context, request.caller, {
          action: `security.${kind}s.delete`,
          detail: { [kind]: name },
          change(file) {
            if (!remove(file, name)) return false;
            grants = removeGrants(file, kind, name);
            return true;
          },
        });
        return { deleted: name, grantsRemoved: grants };
      },
    );

  /** users/add and users/update: the password is hashed first, stored after the policy write. */
  const userWrite = (
    path: string,
    action: string,
    change: (file: EditableFile, body: UserBody) => void,
  ) =>
    app.post(path, { config, schema: { body: userBodySchema } }, async (request) => {
      const body = request.body as UserBody;
      const hash = await passwordHash(body.password);
      const fields = Object.keys(body).filter((k) => k !== 'name' && k !== 'password');
      return applyPolicyEdit(context, request.caller, {
        action,
        detail: { user: body.name, fields, password: hash !== undefined },
        change(file) {
          change(file, body);
          return true;
        },
        focus: (file) => `users[${indexOfName(file.users, body.name)}]`,
        after(db, policy) {
          storePassword(db, body.name, hash);
          return securityUser(policy, body.name);
        },
      });
    });

  userWrite('/api/security/users/add', 'security.users.add', (file, body) => {
    if (indexOfName(file.users, body.name) >= 0)
      throw new HttpError(400, `user "${body.name}" already exists (use users/update)`);
    const { password: _password, ...user } = body;
    file.users.push(user);
  });

  userWrite('/api/security/users/update', 'security.users.update', (file, body) => {
    const user = file.users[indexOfName(file.users, body.name)];
    if (!user) throw new HttpError(400, `unknown user "${body.name}"`);
    if (body.displayName !== undefined) user.displayName = body.displayName;
    if (body.email !== undefined) user.email = body.email;
    if (body.groups !== undefined) setUserGroups(file, body.name, body.groups);
  });

  principalDelete('user', (file, user) => {
    const i = indexOfName(file.users, user);
    if (i < 0) return false;
    file.users.splice(i, 1);
    for (const g of file.groups) if (g.users) g.users = g.users.filter((u) => u !== user);
    return true;
  });

  app.post(
    '/api/security/groups/add',
    { config, schema: { body: groupBodySchema } },
    async (request) => {
      const body = request.body as GroupBody;
      return applyPolicyEdit(context, request.caller, {
        action: 'security.groups.add',
        detail: { group: body.name, users: body.users ?? [] },
        change(file) {
          if (indexOfName(file.groups, body.name) >= 0)
            throw new HttpError(400, `group "${body.name}" already exists (use groups/update)`);
          file.groups.push({ ...body });
          return true;
        },
        focus: (file) => `groups[${indexOfName(file.groups, body.name)}]`,
        after: (_db, policy) => securityGroup(policy, body.name),
      });
    },
  );

  app.post(
    '/api/security/groups/update',
    { config, schema: { body: groupBodySchema } },
    async (request) => {
      const body = request.body as GroupBody;
      return applyPolicyEdit(context, request.caller, {
        action: 'security.groups.update',
        detail: { group: body.name, users: body.users ?? [] },
        change(file) {
          const group = file.groups[indexOfName(file.groups, body.name)];
          if (!group) throw new HttpError(400, `unknown group "${body.name}"`);
          // The whole `users` list is replaced: memberships held on the users' side go too.
          for (const u of file.users)
            if (u.groups) u.groups = u.groups.filter((g) => g !== body.name);
          group.users = [...(body.users ?? [])];
          if (body.groups !== undefined) group.groups = [...body.groups];
          return true;
        },
        focus: (file) => `groups[${indexOfName(file.groups, body.name)}]`,
        after: (_db, policy) => securityGroup(policy, body.name),
      });
    },
  );

  principalDelete('group', (file, group) => {
    const i = indexOfName(file.groups, group);
    if (i < 0) return false;
    file.groups.splice(i, 1);
    for (const g of file.groups) if (g.groups) g.groups = g.groups.filter((c) => c !== group);
    for (const u of file.users) if (u.groups) u.groups = u.groups.filter((c) => c !== group);
    return true;
  });
}
