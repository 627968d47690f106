// "What can … do" over the fake back end with the real engine: Anonymous is offered, a public
// feed's implicit grants show as such, system attributes are marked, and asking without a
// principal says what to do.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../../core/index';
import { whatCan } from '../../../core/access-search';
import { SAMPLE_POLICY_TEXT } from '../lib/sample-policy';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import { gatedClient } from '../testing/gated-client';
import WhatCanSearch from './WhatCanSearch.svelte';

const policy = parsePolicy(SAMPLE_POLICY_TEXT);

/** The fake back end answering with the real engine on the sample policy. */
function backEnd(): FakeWorkspace {
  const fake = new FakeWorkspace();
  fake.answer('access:what-can', (args) =>
    whatCan(policy, args.principal as never, args.feed as string),
  );
  return fake;
}

/** Picks Anonymous in the picker (typed, ↓, Enter), the feed public-npm, and searches. */
async function askAnonymousOnPublicNpm(): Promise<void> {
  const picker = screen.getByRole('combobox', { name: 'User or group' });
  await fireEvent.input(picker, { target: { value: 'anon' } });
  await fireEvent.keyDown(picker, { key: 'ArrowDown' });
  await fireEvent.keyDown(picker, { key: 'Enter' });
  await fireEvent.change(screen.getByRole('combobox', { name: 'on feed' }), {
    target: { value: 'public-npm' },
  });
  await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
}

describe('WhatCanSearch', () => {
  it("answers for Anonymous on a public feed: the feed's implicit grant decides", async () => {
    const fake = backEnd();
    const { container } = render(WhatCanSearch, {
      policy,
      client: fake.client,
      source: { policyText: SAMPLE_POLICY_TEXT },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    expect(screen.getByRole('alert').textContent).toBe(
      'Choose a user or group from the list first.',
    );

    await askAnonymousOnPublicNpm();
    const allowed = await screen.findByRole('table', { name: /^Allowed/ });
    const view = within(allowed).getByRole('row', { name: /Feeds_ViewFeed/ });
    expect(view.textContent).toMatch(/implicit permission \(public access\): group Everyone/);
    expect(
      within(allowed)
        .getAllByRole('rowheader')
        .map((h) => h.textContent?.trim()),
    ).toEqual(['Feeds_ViewFeed', 'Feeds_DownloadPackage']);
    const ungranted = within(screen.getByRole('list', { name: 'Denied by default' }));
    expect(ungranted.getByText(/Admin_ConfigureProGet/).textContent).toMatch(
      /Admin_ConfigureProGet\s*system/,
    );
    // No restriction decides anything for Anonymous there.
    expect(screen.queryByRole('table', { name: /^Denied by a restriction/ })).toBeNull();
    expect(screen.getByText('None.')).toBeTruthy();
    expect(screen.getByText(/user Anonymous is allowed 2 of \d+ attributes/)).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
    await expectNoSeriousViolations(container);
  });

  it('says it is searching while the back end answers', async () => {
    const fake = backEnd();
    const { client, open } = gatedClient(fake, 'access:what-can');
    render(WhatCanSearch, { policy, client, source: { policyText: SAMPLE_POLICY_TEXT } });
    await askAnonymousOnPublicNpm();
    const status = await screen.findByRole('status', { name: '' });
    expect(status.textContent).toBe('Searching… a large policy takes a moment.');
    open();
    await screen.findByRole('table', { name: /^Allowed/ });
    expect(screen.queryByText(/Searching…/)).toBeNull();
  });
});
