// The Access screen's tabs over the fake back end, which answers access:who-can and
// access:what-can with the real engine on the connection's draft: "who can" lists users and
// groups with the deciding grant and asks again when the draft changes; "what can … do"
// splits every attribute into allowed and denied with why; a failure says what to do.
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy, type Policy } from '../../../core/index';
import { whatCan, whoCan } from '../../../core/access-search';
import { FakeWorkspace } from '../testing/fake-workspace';
import { expectNoSeriousViolations } from '../testing/axe';
import AccessScreen from './AccessScreen.svelte';

let fake: FakeWorkspace;

/** The fake's current draft of connection c1, as the engine sees it. */
async function draft(): Promise<Policy> {
  return parsePolicy((await fake.client.invoke('draft:get', { id: 'c1' })).policyText);
}

function policyOf(source: unknown): Policy {
  const s = source as { id?: string; policyText?: string };
  if (s.policyText !== undefined) return parsePolicy(s.policyText);
  const d = fake.drafts.get(s.id ?? '');
  if (!d) throw new Error('no draft yet: pull first');
  return d.states[d.cursor] as Policy;
}

beforeEach(async () => {
  fake = new FakeWorkspace();
  fake.addConnection({ id: 'c1' });
  await fake.client.invoke('sync:pull', { id: 'c1' });
  fake.answer('access:who-can', (args) =>
    whoCan(policyOf(args.source), args.subject as never, args.scope as never),
  );
  fake.answer('access:what-can', (args) =>
    whatCan(policyOf(args.source), args.principal as never, args.feed as string),
  );
});

const results = () =>
  screen.queryAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());

async function openTab(name: string) {
  await fireEvent.click(screen.getByRole('tab', { name }));
}

describe('AccessScreen', () => {
  it('answers "who can" with the deciding grants, and asks again after a draft edit', async () => {
    const view = render(AccessScreen, {
      policy: await draft(),
      client: fake.client,
      source: { id: 'c1' },
    });
    expect(screen.getByRole('tab', { name: 'Matrix' }).getAttribute('aria-selected')).toBe('true');
    await openTab('Who can …');
    await fireEvent.change(screen.getByRole('combobox', { name: 'Attribute or task' }), {
      target: { value: 'attribute:Feeds_AddPackage' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Feed or feed group' }), {
      target: { value: 'feed:Production' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await expect
      .poll(results)
      .toEqual([
        'user bob permission: user bob · Promote Packages · feed Production [permissions[3]]',
        'user carol permission: group Administrators · Administer · global [permissions[0]]',
        'group Administrators permission: group Administrators · Administer · global [permissions[0]]',
      ]);
    // alice is not there: the Developers' restriction on Production decides for her.
    expect(screen.getByText(/2 users and 1 group can Feeds_AddPackage on Production/)).toBeTruthy();
    expect(fake.callsTo('access:who-can')).toEqual([
      {
        source: { id: 'c1' },
        subject: { attribute: 'Feeds_AddPackage' },
        scope: { feed: 'Production' },
      },
    ]);
    await expectNoSeriousViolations(view.container);

    // alice gets Publish Packages on Production (a user grant beats the group's restriction):
    // the answer follows the draft.
    await fake.client.invoke('draft:edit', {
      id: 'c1',
      label: 'grant',
      changeSet: {
        operations: [
          {
            op: 'add',
            kind: 'permission',
            item: { user: 'alice', task: 'Publish Packages', feed: 'Production' },
          },
        ],
      },
    });
    await view.rerender({ policy: await draft() });
    await expect.poll(() => results().length).toBe(4);
    expect(results()[0]).toMatch(/^user alice permission: user alice · Publish Packages/);
  });

  it('asks a feed group feed by feed, and says when the back end fails', async () => {
    render(AccessScreen, { policy: await draft(), client: fake.client, source: { id: 'c1' } });
    await openTab('Who can …');
    const tabs = screen.getByRole('tablist', { name: 'Access screen' });
    expect(within(tabs).getByRole('tab', { name: 'Who can …' }).getAttribute('tabindex')).toBe('0');
    await fireEvent.change(screen.getByRole('combobox', { name: 'Attribute or task' }), {
      target: { value: 'task:View & Download Packages' },
    });
    await fireEvent.change(screen.getByRole('combobox', { name: 'Feed or feed group' }), {
      target: { value: 'feedGroup:production-packages' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const names = () => results().map((r) => r?.split(' ').slice(0, 2).join(' '));
    await expect.poll(names).toEqual(['user bob', 'user carol', 'group Administrators']);
    expect(screen.getByText(/can View & Download Packages on production-packages\./)).toBeTruthy();

    fake.answer('access:who-can', () => {
      throw new Error('no draft yet: pull first');
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await expect
      .poll(() => screen.queryByRole('alert')?.textContent)
      .toMatch(/no draft yet: pull first\. Check the connection, then search again\./);
  });

  it('answers "what can … do" for a group with every attribute allowed or denied, and why', async () => {
    const view = render(AccessScreen, {
      policy: await draft(),
      client: fake.client,
      source: { policyText: JSON.stringify(await draft()) },
    });
    await openTab('What can … do');
    const picker = screen.getByRole('combobox', { name: 'User or group' });
    await fireEvent.input(picker, { target: { value: 'Developers' } });
    await fireEvent.keyDown(picker, { key: 'ArrowDown' });
    await fireEvent.keyDown(picker, { key: 'Enter' });
    await fireEvent.change(screen.getByRole('combobox', { name: 'on feed' }), {
      target: { value: 'Production' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    const denied = await screen.findByRole('table', { name: /^Denied by a restriction/ });
    // The group's restriction on Production beats its global Promote Packages: nothing allowed.
    expect(screen.queryByRole('table', { name: /^Allowed/ })).toBeNull();
    expect(screen.getByText('None.')).toBeTruthy();
    const add = within(denied).getByRole('row', { name: /Feeds_AddPackage/ });
    expect(add.textContent).toMatch(
      /restriction: group Developers · Promote Packages · feed Production/,
    );
    expect(screen.getByText(/a member of group Developers \(that group alone\)/)).toBeTruthy();
    await tick();
    await expectNoSeriousViolations(view.container);
  });
});
