// The attribute catalog and the built-in tasks: the single source of truth for the
// security model (see docs/security-model.md). Everything else derives from these tables.

export type AttributeCategory =
  'Administration' | 'Feeds' | 'Credentials' | 'Licenses' | 'Vulnerabilities' | 'Projects';

export interface AttributeInfo {
  readonly id: string;
  /** May be granted at feed or feed-group scope. */
  readonly feedScoped: boolean;
  readonly category: AttributeCategory;
  readonly description: string;
}

export const ATTRIBUTES: readonly AttributeInfo[] = [
  {
    id: 'Admin_ConfigureProGet',
    feedScoped: false,
    category: 'Administration',
    description:
      'Administrative catch-all; proxy for every other attribute (holders can change their own permissions)',
  },
  {
    id: 'Admin_ManageFeed',
    feedScoped: true,
    category: 'Administration',
    description: 'Full control over a feed; proxy for every feed-scopable attribute in its scope',
  },
  {
    id: 'Admin_ManageConnectors',
    feedScoped: true,
    category: 'Administration',
    description: 'Create, edit and delete connectors',
  },
  {
    id: 'Admin_ViewScheduledTasks',
    feedScoped: false,
    category: 'Administration',
    description: 'See scheduled task results',
  },
  {
    id: 'Admin_ManageScheduledTasks',
    feedScoped: false,
    category: 'Administration',
    description: 'Run, disable and change scheduled tasks',
  },
  {
    id: 'Licenses_Manage',
    feedScoped: false,
    category: 'Licenses',
    description: 'Known license types and license rules',
  },
  {
    id: 'Credentials_Manage',
    feedScoped: false,
    category: 'Credentials',
    description: 'Manage credentials',
  },
  {
    id: 'Credentials_ViewPasswords',
    feedScoped: false,
    category: 'Credentials',
    description: 'View stored passwords',
  },
  {
    id: 'Vulnerabilities_Assess',
    feedScoped: false,
    category: 'Vulnerabilities',
    description: 'Assessment types, assess vulnerabilities',
  },
  { id: 'Projects_View', feedScoped: false, category: 'Projects', description: 'View projects' },
  {
    id: 'Projects_Manage',
    feedScoped: false,
    category: 'Projects',
    description: 'Manage projects',
  },
  {
    id: 'Projects_UploadSbom',
    feedScoped: false,
    category: 'Projects',
    description: 'Upload SBOMs',
  },
  {
    id: 'Projects_ResolveIssue',
    feedScoped: false,
    category: 'Projects',
    description: 'Resolve project issues',
  },
  {
    id: 'Feeds_ViewFeed',
    feedScoped: true,
    category: 'Feeds',
    description: 'View packages and feed metadata (needed for read-only access)',
  },
  {
    id: 'Feeds_DownloadPackage',
    feedScoped: true,
    category: 'Feeds',
    description: 'Download packages (needed for read-only access)',
  },
  {
    id: 'Feeds_AddPackage',
    feedScoped: true,
    category: 'Feeds',
    description: 'Add or publish packages',
  },
  {
    id: 'Feeds_DeletePackage',
    feedScoped: true,
    category: 'Feeds',
    description: 'Delete packages',
  },
  {
    id: 'Feeds_OverwritePackage',
    feedScoped: true,
    category: 'Feeds',
    description: 'Overwrite an existing package version',
  },
  {
    id: 'Feeds_PullPackage',
    feedScoped: true,
    category: 'Feeds',
    description: 'Pull packages (e.g. from a connector)',
  },
  {
    id: 'Feeds_UnlistPackage',
    feedScoped: true,
    category: 'Feeds',
    description: 'Unlist packages',
  },
  {
    id: 'Feeds_AcceptPackagePromotions',
    feedScoped: true,
    category: 'Feeds',
    description:
      'Accept a promotion into this feed (the promoter also needs view and download on the source feed)',
  },
];

export const ATTRIBUTE_IDS: readonly string[] = ATTRIBUTES.map((a) => a.id);
const attributeById = new Map(ATTRIBUTES.map((a) => [a.id, a]));

export function attributeInfo(id: string): AttributeInfo | undefined {
  return attributeById.get(id);
}
export function isAttribute(id: string): boolean {
  return attributeById.has(id);
}
export function isFeedScopedAttribute(id: string): boolean {
  return attributeById.get(id)?.feedScoped === true;
}

/** Proxies: holding the key attribute meets every attribute the predicate accepts. */
export const PROXY_ALL = 'Admin_ConfigureProGet';
export const PROXY_FEED = 'Admin_ManageFeed';

/**
 * Every attribute a set of task attributes meets, directly or by proxy:
 * `Admin_ConfigureProGet` meets everything, `Admin_ManageFeed` every feed-scopable attribute.
 */
export function attributesMetBy(taskAttributes: Iterable<string>): Set<string> {
  const met = new Set<string>();
  for (const a of taskAttributes) {
    if (a === PROXY_ALL) return new Set(ATTRIBUTE_IDS);
    met.add(a);
    if (a === PROXY_FEED) for (const f of ATTRIBUTES) if (f.feedScoped) met.add(f.id);
  }
  return met;
}

/** A task is feed-scopable when every one of its attributes is. */
export function isFeedScopableTask(attributes: readonly string[]): boolean {
  return attributes.every((a) => isFeedScopedAttribute(a));
}

export interface TaskDefinition {
  readonly name: string;
  readonly description: string;
  readonly attributes: readonly string[];
}

const VIEW = 'Feeds_ViewFeed';
const DOWNLOAD = 'Feeds_DownloadPackage';

export const BUILT_IN_TASKS: readonly TaskDefinition[] = [
  {
    name: 'Administer',
    description: 'Every attribute: full control of the instance',
    attributes: [...ATTRIBUTE_IDS],
  },
  {
    name: 'Manage Feed',
    description: 'Full control over packages and connectors of a feed',
    attributes: [
      VIEW,
      DOWNLOAD,
      'Feeds_AddPackage',
      'Feeds_DeletePackage',
      'Feeds_OverwritePackage',
      'Feeds_PullPackage',
      'Feeds_UnlistPackage',
      'Feeds_AcceptPackagePromotions',
      'Admin_ManageFeed',
      'Admin_ManageConnectors',
    ],
  },
  {
    name: 'Promote Packages',
    description: 'View, download, add and accept promotions',
    attributes: [VIEW, DOWNLOAD, 'Feeds_AddPackage', 'Feeds_AcceptPackagePromotions'],
  },
  {
    name: 'Publish Packages',
    description: 'View, download, add and pull packages',
    attributes: [VIEW, DOWNLOAD, 'Feeds_AddPackage', 'Feeds_PullPackage'],
  },
  {
    name: 'View & Download Packages',
    description: 'Read-only access to packages',
    attributes: [VIEW, DOWNLOAD],
  },
  {
    name: 'Manage Projects',
    description: 'Projects and SBOMs',
    attributes: [
      'Projects_View',
      'Projects_Manage',
      'Projects_UploadSbom',
      'Projects_ResolveIssue',
    ],
  },
];

export const BUILT_IN_TASK_NAMES: ReadonlySet<string> = new Set(BUILT_IN_TASKS.map((t) => t.name));

/** Virtual principals exist in every directory. */
export const ANONYMOUS = 'Anonymous';
export const AUTHENTICATED = 'Authenticated';
export const EVERYONE = 'Everyone';
export const VIRTUAL_USERS: ReadonlySet<string> = new Set([ANONYMOUS]);
export const VIRTUAL_GROUPS: ReadonlySet<string> = new Set([AUTHENTICATED, EVERYONE]);

export const FEED_ACCESS_TYPES = ['private', 'public', 'community', 'organization'] as const;
export type FeedAccess = (typeof FEED_ACCESS_TYPES)[number];

export const FEED_TYPES = [
  'universal',
  'nuget',
  'npm',
  'maven',
  'pypi',
  'docker',
  'helm',
  'rubygems',
  'debian',
  'rpm',
  'conda',
  'cran',
  'powershell',
  'chocolatey',
  'vsix',
  'bower',
  'cargo',
  'go',
  'terraform',
  'assets',
] as const;
export type FeedType = (typeof FEED_TYPES)[number];

export const BUILT_IN_DIRECTORY = 'Built-in';
export const POLICY_FORMAT = 'feedgate-policy/1';
