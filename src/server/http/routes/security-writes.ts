// Every write of the ProGet-compatible security API (base /api/security/).
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';
import { registerSecurityPermissions } from './security-permissions';
import { registerSecurityTasks } from './security-tasks';
import { registerSecurityUsers } from './security-users';

export function registerSecurityWrites(app: FastifyInstance, context: AppContext): void {
  registerSecurityUsers(app, context);
  registerSecurityTasks(app, context);
  registerSecurityPermissions(app, context);
}
