// The ProGet-compatible security API's writes of tasks (base /api/security/): tasks/add
// creates a task or edits one of the same name (description and attributes), tasks/delete
// removes one. Built-in tasks can be edited but not deleted; a task still used by a grant is
// not deleted (400 naming the grants); an edit that would make a feed-scoped grant invalid
// is refused by the core's validation, naming that grant.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  BUILT_IN_TASKS,
  describePermission,
  isAttribute,
  isFeedScopableTask,
  nameSchema,
} from '../../../core/index';
import { taskSchema } from '../../../core/policy-schema';
import type { AppContext } from '../context';
import { HttpError } from '../errors';
import { applyPolicyEdit, indexOfName } from './policy-edit';

const taskBodySchema = taskSchema.extend({ feedScoped: z.boolean().optional() });
type TaskBody = z.infer<typeof taskBodySchema>;
// Not strict: `key` (the API key) may come along in the query.
const taskQuerySchema = z.object({ task: nameSchema });

const BUILT_IN_NAMES = new Set(BUILT_IN_TASKS.map((t) => t.name));

function checkFeedScoped(body: TaskBody): void {
  if (body.feedScoped === undefined || !body.attributes.every(isAttribute)) return;
  const actual = isFeedScopableTask(body.attributes);
  if (body.feedScoped !== actual)
    throw new HttpError(
      400,
      actual
        ? 'feedScoped: is false, but every attribute of the task is feed-scopable (feedScoped is derived from the attributes)'
        : `feedScoped: is true, but ${body.attributes.filter((a: string) => !isFeedScopableTask([a])).join(', ')} ${body.attributes.length > 1 ? 'are' : 'is'} system-only (feedScoped is derived from the attributes)`,
    );
}

export function registerSecurityTasks(app: FastifyInstance, context: AppContext): void {
  const config = { access: 'admin' as const };

  app.post(
    '/api/security/tasks/add',
    { config, schema: { body: taskBodySchema } },
    async (request) => {
      const body = request.body as TaskBody;
      checkFeedScoped(body);
      let edited = false;
      return applyPolicyEdit(context, request.caller, {
        action: 'security.tasks.add',
        detail: { task: body.name, attributes: body.attributes },
        change(file) {
          const i = indexOfName(file.tasks, body.name);
          edited = i >= 0 || BUILT_IN_NAMES.has(body.name);
          const description = body.description ?? (i >= 0 ? file.tasks[i]?.description : undefined);
          const task = {
            name: body.name,
            ...(description !== undefined && { description }),
            attributes: [...body.attributes],
          };
          if (i >= 0) file.tasks[i] = task;
          else file.tasks.push(task);
          return true;
        },
        focus: (file) => `tasks[${indexOfName(file.tasks, body.name)}]`,
        after(_db, policy) {
          const task = policy?.tasks.find((t) => t.name === body.name);
          if (!task) return undefined;
          return {
            name: task.name,
            description: task.description,
            feedScoped: isFeedScopableTask(task.attributes),
            attributes: [...task.attributes],
            ...(edited && { edited }),
          };
        },
      });
    },
  );

  app.delete(
    '/api/security/tasks/delete',
    { config, schema: { querystring: taskQuerySchema } },
    async (request) => {
      const { task } = request.query as z.infer<typeof taskQuerySchema>;
      if (BUILT_IN_NAMES.has(task))
        throw new HttpError(400, `task "${task}" is built-in: it can be edited but not deleted`);
      applyPolicyEdit(context, request.caller, {
        action: 'security.tasks.delete',
        detail: { task },
        change(file) {
          const i = indexOfName(file.tasks, task);
          if (i < 0) return false;
          const users = file.permissions.filter((p) => p.task === task);
          if (users.length > 0)
            throw new HttpError(
              400,
              `task "${task}" is used by ${users.length === 1 ? 'grant' : 'grants'} ${users
                .map((p) => `"${describePermission(p)}"`)
                .join(', ')}: delete ${users.length === 1 ? 'it' : 'them'} first`,
            );
          file.tasks.splice(i, 1);
          return true;
        },
      });
      return { deleted: task };
    },
  );
}
