// The Directory screen over its store and a fake back end: the active directory and the list,
// adding an LDAP directory (checked before sending, the bind password sent once and never
// shown back), the connection and sign-in tests answered under their buttons, and the switch
// refused for a lockout that needs an explicit confirmation, then done with the way back.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { ChannelResult } from '../../../shared/app-api';
import { DirectoryStore } from '../lib/directory.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { FakeWorkspace } from '../testing/fake-workspace';
import { gatedClient } from '../testing/gated-client';
import DirectoryScreen from './DirectoryScreen.svelte';

type Directory = ChannelResult<'directories:list'>['directories'][number];

const BUILT_IN: Directory = {
  name: 'Built-in',
  type: 'builtin',
  active: true,
  configured: false,
  hasBindPassword: false,
};

const LOCKOUT_REASON =
  'refused: no user of directory "Corp" could administer the instance once it is active. It would lock out: Admin (directory "Built-in"). Send "force": true to switch anyway.';

/** A fake instance with directories: save adds or edits, switch refuses unless allowed. */
function fakeWithDirectories(directories: Directory[] = [BUILT_IN]) {
  const fake = new FakeWorkspace();
  const connection = fake.addConnection({ id: 'local', name: 'This computer', kind: 'embedded' });
  let list = directories.map((d) => ({ ...d }));
  fake.answer('directories:list', () => ({ directories: list }));
  fake.answer('directories:save', (args) => {
    const settings = args.settings as Directory['settings'];
    const saved: Directory = {
      name: args.name as string,
      type: 'ldap',
      active: false,
      configured: true,
      hasBindPassword: args.bindPassword !== undefined,
      ...(settings && { settings }),
    };
    list = [...list.filter((d) => d.name !== saved.name), saved];
    return { directory: saved };
  });
  fake.answer('directories:switch', (args) => {
    if (args.allowLockout !== true)
      return { status: 'refused-lockout', name: args.name as string, reason: LOCKOUT_REASON };
    list = list.map((d) => ({ ...d, active: d.name === args.name }));
    return { status: 'switched', name: args.name as string, changed: true, revision: 7 };
  });
  return { fake, connection };
}

const corp: Directory = {
  name: 'Corp',
  type: 'ldap',
  active: false,
  configured: true,
  hasBindPassword: true,
  settings: {
    preset: 'openldap',
    url: 'ldap://ldap.example.com',
    bindDn: 'cn=reader,dc=example,dc=com',
    userBase: 'ou=people,dc=example,dc=com',
    groupBase: 'ou=groups,dc=example,dc=com',
  },
};

function renderScreen(
  fake: FakeWorkspace,
  connection: ReturnType<FakeWorkspace['addConnection']> | null,
) {
  const store = new DirectoryStore(fake.client);
  return { store, ...render(DirectoryScreen, { store, connection }) };
}

const type = (label: string | RegExp, value: string, root: HTMLElement = document.body) =>
  fireEvent.input(within(root).getByLabelText(label), { target: { value } });

describe('DirectoryScreen', () => {
  it('asks for a connection first', () => {
    const { fake } = fakeWithDirectories();
    renderScreen(fake, null);
    expect(screen.getByRole('status').textContent).toMatch(/Choose a connection first/);
    expect(fake.callsTo('directories:list')).toEqual([]);
  });

  it('adds an LDAP directory: checked first, the bind password sent once and never shown', async () => {
    const { fake, connection } = fakeWithDirectories();
    const { container } = renderScreen(fake, connection);
    await screen.findByText(/Active directory on This computer/);
    expect(screen.getByRole('rowheader', { name: 'Built-in' })).toBeTruthy();
    await expectNoSeriousViolations(container);

    const form = screen.getByRole('form', { name: 'Add an LDAP directory' });
    await type('Name', 'Corp', form);
    await type('URL', 'https://ldap.example.com', form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Add directory' }));
    expect(within(form).getByRole('alert').textContent).toBe(
      'The URL is ldap://host[:port] or ldaps://host[:port].',
    );
    await type('URL', 'ldaps://ldap.example.com:636', form);
    await type('Bind DN', 'cn=reader,dc=example,dc=com', form);
    await type('User base', 'ou=people,dc=example,dc=com', form);
    await type('Group base', 'ou=groups,dc=example,dc=com', form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Add directory' }));
    expect(within(form).getByRole('alert').textContent).toBe('Type the bind DN’s password.');
    expect(fake.callsTo('directories:save')).toEqual([]);

    await type('Bind password', 'bind-secret-42', form);
    await type('User filter', '(&(objectClass=person)(uid=%s))', form);
    await fireEvent.click(within(form).getByRole('button', { name: 'Add directory' }));
    await screen.findByRole('form', { name: 'LDAP settings of Corp' });
    expect(fake.callsTo('directories:save')).toEqual([
      {
        id: 'local',
        name: 'Corp',
        bindPassword: 'bind-secret-42',
        settings: {
          preset: 'openldap',
          url: 'ldaps://ldap.example.com:636',
          startTls: false,
          verifyCertificate: true,
          bindDn: 'cn=reader,dc=example,dc=com',
          userBase: 'ou=people,dc=example,dc=com',
          groupBase: 'ou=groups,dc=example,dc=com',
          userFilter: '(&(objectClass=person)(uid=%s))',
        },
      },
    ]);
    // The saved directory is open for editing: its password is stored, not shown.
    const edit = screen.getByRole('form', { name: 'LDAP settings of Corp' });
    const password = within(edit).getByLabelText('Bind password') as HTMLInputElement;
    expect(password.value).toBe('');
    expect(password.placeholder).toBe('stored: leave empty to keep it');
    expect(document.body.innerHTML).not.toContain('bind-secret-42');
    expect(screen.getByRole('rowheader', { name: 'Corp' })).toBeTruthy();
    await expectNoSeriousViolations(container);
  });

  it('a refused save says why where the form is', async () => {
    const { fake, connection } = fakeWithDirectories([BUILT_IN, corp]);
    fake.answer('directories:save', () => {
      throw new Error('the server refused the request: userBase: must not be empty');
    });
    renderScreen(fake, connection);
    await fireEvent.click(await screen.findByRole('button', { name: 'Corp' }));
    const form = screen.getByRole('form', { name: 'LDAP settings of Corp' });
    await fireEvent.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(within(form).getByRole('alert').textContent).toBe(
        'the server refused the request: userBase: must not be empty. Nothing was saved: correct the setting named and save again.',
      ),
    );
  });

  it('shows each test under its button: connected, the user with groups, a failure with what to do', async () => {
    const { fake, connection } = fakeWithDirectories([BUILT_IN, corp]);
    fake.answer('directories:test', (args) => {
      if (args.signInAs === undefined) return { ok: true, security: 'starttls', signedIn: false };
      const { password } = args.signInAs as { user: string; password: string };
      if (password === 'pw-user010')
        return {
          ok: true,
          security: 'starttls',
          signedIn: true,
          user: {
            name: 'user010',
            displayName: 'User 010',
            dn: 'uid=user010,ou=people,dc=example,dc=com',
            groups: ['databases', 'engineering'],
          },
        };
      return {
        ok: false,
        failure: 'wrong-password',
        message: '"user010" was found, but the password was refused',
        next: 'Check the password; the account may also be locked or disabled in LDAP.',
        user: { name: 'user010', groups: ['databases'] },
      };
    });
    const { container } = renderScreen(fake, connection);
    await fireEvent.click(await screen.findByRole('button', { name: 'Corp' }));

    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    const connectionResult = screen.getByRole('status', { name: 'Connection test' });
    await waitFor(() =>
      expect(connectionResult.textContent).toMatch(/Connected, encrypted \(StartTLS\)/),
    );

    const signIn = screen.getByRole('form', { name: 'Test sign-in as' });
    await type('Test sign-in as', 'user010', signIn);
    await type('Password', 'wrong', signIn);
    await fireEvent.click(within(signIn).getByRole('button', { name: 'Test sign-in' }));
    const signInResult = screen.getByRole('status', { name: 'Sign-in test' });
    await waitFor(() => expect(signInResult.textContent).toMatch(/Wrong password/));
    expect(signInResult.textContent).toMatch(/the password was refused\..*Check the password/s);
    expect((within(signIn).getByLabelText('Password') as HTMLInputElement).value).toBe('');

    await type('Password', 'pw-user010', signIn);
    await fireEvent.click(within(signIn).getByRole('button', { name: 'Test sign-in' }));
    await waitFor(() => expect(signInResult.textContent).toMatch(/Found user010/));
    expect(signInResult.textContent).toMatch(/\(User 010\), and signed in with that password/);
    expect(within(signInResult).getAllByText(/databases|engineering/).length).toBe(2);
    expect(fake.callsTo('directories:test')[1]).toEqual({
      id: 'local',
      name: 'Corp',
      signInAs: { user: 'user010', password: 'wrong' },
    });
    await expectNoSeriousViolations(container);
  });

  it('says the connection test and the sign-in test are under way while they run', async () => {
    const { fake, connection } = fakeWithDirectories([BUILT_IN, corp]);
    fake.answer('directories:test', () => ({ ok: true, security: 'starttls', signedIn: false }));
    // The tests wait, as a slow LDAP server keeps them waiting.
    const { client, open } = gatedClient(fake, 'directories:test');
    const store = new DirectoryStore(client);
    render(DirectoryScreen, { store, connection });
    await fireEvent.click(await screen.findByRole('button', { name: 'Corp' }));

    await fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    await waitFor(() =>
      expect(screen.getAllByRole('status').map((s) => s.textContent)).toContain('Connecting…'),
    );
    open();
    await waitFor(() => expect(screen.queryByText('Connecting…')).toBeNull());

    const signIn = screen.getByRole('form', { name: 'Test sign-in as' });
    await type('Test sign-in as', 'user010', signIn);
    await type('Password', 'pw', signIn);
    await fireEvent.click(within(signIn).getByRole('button', { name: 'Test sign-in' }));
    await waitFor(() =>
      expect(
        within(signIn)
          .getAllByRole('status')
          .map((s) => s.textContent),
      ).toContain('Signing in…'),
    );
    open();
    await waitFor(() => expect(screen.queryByText('Signing in…')).toBeNull());
  });

  it('asks for explicit confirmation when the switch is refused for a lockout, then says how to get back', async () => {
    const { fake, connection } = fakeWithDirectories([BUILT_IN, corp]);
    const { container } = renderScreen(fake, connection);
    await fireEvent.click(await screen.findByRole('button', { name: 'Corp' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Switch to this directory' }));

    const refusal = await screen.findByRole('alert');
    expect(refusal.textContent).toContain(LOCKOUT_REASON);
    const anyway = screen.getByRole('button', { name: 'Switch anyway' }) as HTMLButtonElement;
    expect(anyway.disabled).toBe(true);
    await expectNoSeriousViolations(container);
    await fireEvent.click(screen.getByLabelText(/nobody may be able to administer/));
    expect(anyway.disabled).toBe(false);
    await fireEvent.click(anyway);

    await waitFor(() => expect(screen.getByText(/is the active directory now/)).toBeTruthy());
    expect(fake.callsTo('directories:switch')).toEqual([
      { id: 'local', name: 'Corp', allowLockout: false },
      { id: 'local', name: 'Corp', allowLockout: true },
    ]);
    expect(screen.getByRole('link', { name: 'Recovery' }).getAttribute('href')).toBe('#/recovery');
    await waitFor(() =>
      expect(screen.getByText(/Active directory on This computer/).textContent).toContain('Corp'),
    );
    expect(screen.queryByRole('button', { name: 'Switch anyway' })).toBeNull();
    await expectNoSeriousViolations(container);
  });
});
