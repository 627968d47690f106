// "Who can" with a long answer: 5,000 users allowed through their group are one virtualised
// list (only a window of rows in the DOM, each saying its position in the whole), answered by
// the fake back end with the real engine; no feed to ask about is said where it happened.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '../../../core/index';
import { whoCan } from '../../../core/access-search';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import { gatedClient } from '../testing/gated-client';
import WhoCanSearch from './WhoCanSearch.svelte';

const USERS = 5_000;
const large = parsePolicy({
  users: Array.from({ length: USERS }, (_, i) => ({ name: `user${i}`, groups: ['Readers'] })),
  groups: [{ name: 'Readers' }],
  feeds: [{ name: 'Libs', feedType: 'npm' }],
  permissions: [{ group: 'Readers', task: 'View & Download Packages', feed: 'Libs' }],
});

function backEnd(policy: Policy) {
  const fake = new FakeWorkspace();
  fake.answer('access:who-can', (args) =>
    whoCan(policy, args.subject as never, args.scope as never),
  );
  return fake;
}

describe('WhoCanSearch', () => {
  it('shows a long answer as a virtualised list', async () => {
    const fake = backEnd(large);
    const { container } = render(WhoCanSearch, {
      policy: large,
      client: fake.client,
      source: { policyText: '{}' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Attribute or task' }), {
      target: { value: 'attribute:Feeds_DownloadPackage' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText(/5000 users and 1 group can Feeds_DownloadPackage on Libs\./);
    const items = screen.getAllByRole('listitem');
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(60);
    expect(items[0]?.getAttribute('aria-setsize')).toBe(String(USERS + 1));
    expect(items[0]?.textContent).toMatch(
      /user0\s*permission: group Readers · View & Download Packages · feed Libs/,
    );
    expect(fake.callsTo('access:who-can')).toEqual([
      {
        source: { policyText: '{}' },
        subject: { attribute: 'Feeds_DownloadPackage' },
        scope: { feed: 'Libs' },
      },
    ]);
    await expectNoSeriousViolations(container);
  });

  it('says it is searching while the back end answers', async () => {
    const { client, open } = gatedClient(backEnd(large), 'access:who-can');
    render(WhoCanSearch, { policy: large, client, source: { policyText: '{}' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('Searching… a large policy takes a moment.');
    expect(screen.getByRole('button', { name: 'Searching…' })).toHaveProperty('disabled', true);
    open();
    await screen.findByText(/users? and \d+ groups? can Feeds_AddPackage on Libs/);
    expect(screen.queryByText(/Searching…/)).toBeNull();
  });

  it('says so when the draft has no feed to ask about', async () => {
    const empty = parsePolicy({});
    render(WhoCanSearch, {
      policy: empty,
      client: backEnd(empty).client,
      source: { policyText: '{}' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByRole('alert').textContent).toMatch(
      /no feed to ask about: create one on the Grants screen/,
    );
  });
});
