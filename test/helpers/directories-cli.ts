// For the `feedgate directories` CLI tests: a real instance (the promote example, a full-control
// key) and a real slapd, the options that add the slapd as directory "Corp", and a policy for
// Corp granting Administer.
import { readPolicy, writePolicy } from '../../src/server/store/index';
import { startAdminTestInstance, type AdminTestInstance } from './admin-server';
import { jsonPost } from './server';
import {
  GROUPS_BASE,
  PEOPLE_BASE,
  READER_DN,
  READER_PASSWORD,
  startSlapd,
  type Slapd,
} from './slapd';

export interface LdapCliFixture {
  admin: AdminTestInstance;
  slapd: Slapd;
  /** --source and --api-key of the instance. */
  source(): string[];
  /** `directories add` options for directory Corp on the slapd (password by option). */
  corpOptions(): string[];
  /** Adds Corp through the API. */
  addCorp(): Promise<void>;
  /** Writes Corp's policy: Administer (global) granted to these LDAP groups. */
  grantAdminister(groups: string[]): void;
  stop(): Promise<void>;
}

/** The API configuration of directory Corp on `slapd` (openldap preset, the reader account). */
export function corpConfig(slapd: Slapd, extra: object = {}): Record<string, unknown> {
  return {
    name: 'Corp',
    preset: 'openldap',
    url: slapd.url,
    bindDn: READER_DN,
    bindPassword: READER_PASSWORD,
    userBase: PEOPLE_BASE,
    groupBase: GROUPS_BASE,
    ...extra,
  };
}

/** `directories add` options for directory Corp on `slapd`, but the bind password. */
export function addOptions(slapd: Slapd): string[] {
  return [
    '--name',
    'Corp',
    '--preset',
    'openldap',
    '--url',
    slapd.url,
    '--bind-dn',
    READER_DN,
    '--user-base',
    PEOPLE_BASE,
    '--group-base',
    GROUPS_BASE,
  ];
}

export async function startLdapCliFixture(): Promise<LdapCliFixture> {
  const slapd = await startSlapd();
  const admin = await startAdminTestInstance();
  const corpBody = corpConfig(slapd);
  return {
    admin,
    slapd,
    source: () => ['--source', admin.server.base, '--api-key', admin.key],
    corpOptions: () => [...addOptions(slapd), '--bind-password', READER_PASSWORD],
    async addCorp() {
      const r = await admin.server.request(
        '/api/feedgate/v1/directories',
        jsonPost(corpBody, admin.auth),
      );
      if (r.status !== 201) throw new Error(`adding Corp failed: ${r.text}`);
    },
    grantAdminister(groups) {
      writePolicy(admin.server.db, {
        ...readPolicy(admin.server.db, 'Built-in'),
        directory: 'Corp',
        users: [],
        groups: groups.map((name) => ({ name, users: [], groups: [] })),
        permissions: groups.map((group) => ({ group, task: 'Administer', deny: false })),
      });
    },
    async stop() {
      await admin.server.close();
      await slapd.stop();
    },
  };
}
