// Every migration of the workspace mirror, in order. Append; never edit or reorder.
import type { Migration } from '../../server/store/migrate';
import { mirrorInitialSchema } from './0001-initial';
import { mirrorPrincipalCache } from './0002-principal-cache';

export const MIRROR_MIGRATIONS: readonly Migration[] = [mirrorInitialSchema, mirrorPrincipalCache];
