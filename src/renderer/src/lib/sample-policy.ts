// The policy the playground opens with: small, but it shows a group restriction losing to a
// more specific user permission, and a public feed (which grants reading implicitly).
export const SAMPLE_POLICY_TEXT = `{
  "format": "feedgate-policy/1",
  "users": [
    { "name": "alice", "displayName": "Alice Martin", "groups": ["Developers"] },
    { "name": "bob", "displayName": "Bob Chen", "groups": ["Developers"] },
    { "name": "carol", "displayName": "Carol Diaz" }
  ],
  "groups": [
    { "name": "Developers" },
    { "name": "Administrators", "users": ["carol"] }
  ],
  "feedGroups": [{ "name": "production-packages" }],
  "feeds": [
    { "name": "Production", "feedType": "nuget", "feedGroup": "production-packages" },
    { "name": "Staging", "feedType": "nuget" },
    { "name": "public-npm", "feedType": "npm", "access": "public" }
  ],
  "permissions": [
    { "group": "Administrators", "task": "Administer" },
    { "group": "Developers", "task": "Promote Packages" },
    { "group": "Developers", "task": "Promote Packages", "feed": "Production", "deny": true },
    { "user": "bob", "task": "Promote Packages", "feed": "Production" }
  ]
}
`;

export const SAMPLE_QUERY = { user: 'bob', attribute: 'Feeds_AddPackage', feed: 'Production' };
