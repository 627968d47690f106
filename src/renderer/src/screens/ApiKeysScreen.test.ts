// The API keys screen over its store and a fake back end: without a connection it says
// where to go; the list; the create form's checks (nothing sent while something is
// missing); the new key shown once with a copy button, gone from the page once closed;
// revoking only after a confirmation; the server's refusal where the form is.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiKeysStore } from '../lib/api-keys.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { installFakeKeys } from '../testing/fake-keys';
import { FakeWorkspace } from '../testing/fake-workspace';
import ApiKeysScreen from './ApiKeysScreen.svelte';

function setUp() {
  const fake = new FakeWorkspace();
  const connection = fake.addConnection({ id: 'prod', name: 'Prod' });
  const keys = installFakeKeys(fake);
  const store = new ApiKeysStore(fake.client);
  const view = render(ApiKeysScreen, {
    store,
    connection,
    feeds: ['Staging', 'Production'],
    feedGroups: ['production-packages'],
    users: ['alice'],
  });
  return { fake, keys, store, ...view };
}

const row = (name: RegExp | string) => screen.getByRole('row', { name });

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('ApiKeysScreen', () => {
  it('says to connect first, with a link to Connections', async () => {
    const fake = new FakeWorkspace();
    const { container } = render(ApiKeysScreen, {
      store: new ApiKeysStore(fake.client),
      connection: null,
    });
    expect(screen.getByRole('status').textContent).toMatch(/Connect to an instance first/);
    expect(screen.getByRole('link', { name: 'Connections' }).getAttribute('href')).toBe(
      '#/connections',
    );
    expect(fake.calls).toEqual([]);
    await expectNoSeriousViolations(container);
  });

  it('lists the keys with type, scope, owner and state', async () => {
    const { container } = setUp();
    const desktop = await waitFor(() => row(/feedgate desktop/));
    const cells = within(desktop)
      .getAllByRole('cell')
      .map((c) => c.textContent?.trim());
    expect(cells.slice(0, 4)).toEqual(['system', 'full control', '—', 'Built-in/Admin']);
    expect(cells[7]).toBe('active');
    await expectNoSeriousViolations(container);
  });

  it('checks the form before sending, then shows the new key once with a copy button', async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const { fake, keys, store, container } = setUp();
    await waitFor(() => row(/feedgate desktop/));

    // Nothing named, nothing ticked: two problems, nothing sent.
    await fireEvent.click(screen.getByRole('checkbox', { name: /^view/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const problems = screen.getByRole('alert');
    expect(problems.textContent).toContain('Name the feed the key may reach.');
    expect(problems.textContent).toContain('Tick one or more permissions.');
    expect(fake.callsTo('apikeys:create')).toEqual([]);

    await fireEvent.change(screen.getByRole('combobox', { name: 'Reaches' }), {
      target: { value: 'feedGroup' },
    });
    await fireEvent.input(screen.getByRole('combobox', { name: 'Feed group' }), {
      target: { value: 'production-packages' },
    });
    await fireEvent.click(screen.getByRole('checkbox', { name: /^view/ }));
    await fireEvent.click(screen.getByRole('checkbox', { name: /^promote/ }));
    await fireEvent.input(screen.getByRole('textbox', { name: 'Description' }), {
      target: { value: 'release bot' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Create key' }));

    const panel = await screen.findByRole('dialog', { name: /Key 2 created: release bot/ });
    expect(fake.callsTo('apikeys:create')).toEqual([
      {
        id: 'prod',
        type: 'feed',
        feedGroup: 'production-packages',
        permissions: ['view', 'promote'],
        description: 'release bot',
      },
    ]);
    const text = keys.texts[0] as string;
    const field = within(panel).getByRole('textbox', { name: 'The new API key' });
    expect((field as HTMLInputElement).value).toBe(text);
    expect(panel.textContent).toContain('This is the only time it is shown');
    // The panel has the focus: a screen reader reads its title and warning; Tab reaches Copy.
    expect(document.activeElement).toBe(panel);
    await fireEvent.click(within(panel).getByRole('button', { name: 'Copy the new API key' }));
    expect(writeText).toHaveBeenCalledWith(text);
    await waitFor(() =>
      expect(within(panel).getByRole('status').textContent?.trim()).toBe('Copied'),
    );
    // The new key is listed, without its text.
    expect(within(row(/release bot/)).getByText('feed group production-packages')).toBeTruthy();
    await expectNoSeriousViolations(container);

    await fireEvent.click(within(panel).getByRole('button', { name: 'I have saved it, close' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(store.created).toBeNull();
    expect(document.body.innerHTML).not.toContain(text);
    expect(document.body.innerHTML).not.toContain('fgk_');
  });

  it('says so when the clipboard refuses, and the key can still be selected', async () => {
    const writeText = vi.fn(async () => Promise.reject(new Error('denied')));
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    setUp();
    await waitFor(() => row(/feedgate desktop/));
    await fireEvent.click(screen.getByRole('radio', { name: /^System/ }));
    await fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    const panel = await screen.findByRole('dialog');
    await fireEvent.click(within(panel).getByRole('button', { name: 'Copy the new API key' }));
    await waitFor(() =>
      expect(within(panel).getByRole('status').textContent).toMatch(
        /The clipboard refused: select the\s+text and copy it by hand/,
      ),
    );
    expect((within(panel).getByRole('textbox') as HTMLInputElement).value).toMatch(/^fgk_/);
  });

  it('asks a personal key for its user and refuses an expiry in the past', async () => {
    const { fake } = setUp();
    await waitFor(() => row(/feedgate desktop/));
    await fireEvent.click(screen.getByRole('radio', { name: /^Personal/ }));
    expect(screen.queryByRole('group', { name: 'Permissions' })).toBeNull();
    const expires = screen.getByLabelText(/Expires/) as HTMLInputElement;
    await fireEvent.input(expires, { target: { value: '2001-01-01' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    expect([...screen.getByRole('alert').querySelectorAll('p')].map((p) => p.textContent)).toEqual([
      'Name the user the key acts as.',
      'The expiry date must be after today (or leave it empty: never expires).',
    ]);
    expect(fake.callsTo('apikeys:create')).toEqual([]);

    await fireEvent.input(screen.getByRole('combobox', { name: 'User' }), {
      target: { value: 'alice' },
    });
    await fireEvent.input(expires, { target: { value: '2099-06-30' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await screen.findByRole('dialog', { name: /Key 2 created/ });
    expect(fake.callsTo('apikeys:create')).toEqual([
      { id: 'prod', type: 'personal', user: 'alice', expiration: '2099-06-30' },
    ]);
    await waitFor(() => expect(within(row(/key 2/)).getByText('user alice')).toBeTruthy());
  });

  it('revokes a key only after a confirmation in its row', async () => {
    const { fake, container } = setUp();
    await fireEvent.click(await screen.findByRole('button', { name: 'Revoke feedgate desktop' }));
    const confirm = screen.getByRole('group', { name: 'Revoke feedgate desktop?' });
    expect(document.activeElement).toBe(
      within(confirm).getByRole('button', { name: 'Yes, revoke feedgate desktop' }),
    );
    await expectNoSeriousViolations(container);
    await fireEvent.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsTo('apikeys:revoke')).toEqual([]);
    // The focus goes back to the key's Revoke button, as after Escape.
    const revoke = screen.getByRole('button', { name: 'Revoke feedgate desktop' });
    await waitFor(() => expect(document.activeElement).toBe(revoke));
    await fireEvent.click(revoke);
    await fireEvent.keyDown(screen.getByRole('button', { name: 'Yes, revoke feedgate desktop' }), {
      key: 'Escape',
    });
    expect(screen.queryByRole('group', { name: 'Revoke feedgate desktop?' })).toBeNull();
    await waitFor(() =>
      expect(document.activeElement).toBe(
        screen.getByRole('button', { name: 'Revoke feedgate desktop' }),
      ),
    );

    await fireEvent.click(screen.getByRole('button', { name: 'Revoke feedgate desktop' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke feedgate desktop' }));
    // Its row's buttons are gone: the focus is on the list's heading, not lost.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Keys of Prod' }));
    await waitFor(() => expect(within(row(/feedgate desktop/)).getByText('revoked')).toBeTruthy());
    expect(fake.callsTo('apikeys:revoke')).toEqual([{ id: 'prod', keyId: 1 }]);
    expect(screen.queryByRole('button', { name: /Revoke feedgate desktop/ })).toBeNull();
  });

  it("shows the server's refusal where the form is, with what to do next", async () => {
    const { fake } = setUp();
    fake.answer('apikeys:create', () => {
      throw new Error('the server refused the request: feed: unknown feed "Nope"');
    });
    await waitFor(() => row(/feedgate desktop/));
    await fireEvent.input(screen.getByRole('combobox', { name: 'Feed' }), {
      target: { value: 'Nope' },
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'the server refused the request: feed: unknown feed "Nope". No key was made: correct what is named, then create it again',
      ),
    );
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('says what to do when the keys cannot be read', async () => {
    const fake = new FakeWorkspace();
    const connection = fake.addConnection({ id: 'prod', name: 'Prod' });
    fake.answer('apikeys:list', () => {
      throw new Error('cannot reach http://127.0.0.1:9: ECONNREFUSED');
    });
    render(ApiKeysScreen, { store: new ApiKeysStore(fake.client), connection });
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'cannot reach http://127.0.0.1:9: ECONNREFUSED. Check that the connection works (Connections), then refresh',
      ),
    );
  });
});
