// A writer in its own OS process, for the concurrency tests: adds COUNT users PREFIX-0..N-1
// through the ProGet security API, each followed by a grant of "View & Download Packages" to
// that user, with CONCURRENCY requests in flight. Prints one JSON line on stdout:
// { users: [acknowledged user names], permissions: [acknowledged grant ids], failures: [...] }.
// Usage: node security-writer.mjs URL KEY PREFIX COUNT CONCURRENCY
const [url, key, prefix, count, concurrency] = process.argv.slice(2);

const users = [];
const permissions = [];
const failures = [];

async function post(target, body) {
  const response = await fetch(url + target, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'X-ApiKey': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200) failures.push(`${target} ${response.status} ${text}`);
  return response.status === 200 ? JSON.parse(text) : undefined;
}

let next = 0;
async function worker() {
  while (next < Number(count)) {
    const name = `${prefix}-${next++}`;
    if ((await post('/api/security/users/add', { name })) === undefined) continue;
    users.push(name);
    const grant = await post('/api/security/permissions/add', {
      user: name,
      task: 'View & Download Packages',
    });
    if (grant !== undefined) permissions.push(grant.id);
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
process.stdout.write(`${JSON.stringify({ users, permissions, failures })}\n`);
