// An error that appears under a long form (API keys, Add a server, LDAP settings) can land
// below the window at 1024x700, where the person who pressed the button does not see it.
// As an attachment, reveal scrolls it into view as it appears, no further than needed.
export function reveal(node: HTMLElement): void {
  // jsdom has no layout and no scrollIntoView.
  node.scrollIntoView?.({ block: 'nearest' });
}
