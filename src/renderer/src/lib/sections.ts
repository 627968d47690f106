// The sidebar's sections, in order. Hash routes (#/grants) keep the back button working
// without a router: the hosts serve one page.
export const SECTIONS = [
  { id: 'connections', label: 'Connections' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'grants', label: 'Grants' },
  { id: 'access', label: 'Access' },
  { id: 'changes', label: 'Changes' },
  { id: 'api-keys', label: 'API keys' },
  { id: 'directory', label: 'Directory' },
  { id: 'recovery', label: 'Recovery' },
  { id: 'audit', label: 'Audit' },
  { id: 'playground', label: 'Playground' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

export function sectionFromHash(hash: string): SectionId {
  const id = hash.replace(/^#\/?/, '');
  return SECTIONS.find((s) => s.id === id)?.id ?? DEFAULT_SECTION;
}

/**
 * Where the app opens when the host has no workspace: the playground needs no connection.
 * With a workspace, App.svelte moves to Connections once the list has loaded.
 */
export const DEFAULT_SECTION: SectionId = 'playground';
