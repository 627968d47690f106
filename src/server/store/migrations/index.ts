// Every migration of the instance's database, in order. Append; never edit or reorder.
import type { Migration } from '../migrate';
import { initialSchema } from './0001-initial';

export const MIGRATIONS: readonly Migration[] = [initialSchema];
