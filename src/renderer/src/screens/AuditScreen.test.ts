// The Audit screen over its store and a fake back end: without a connection it says where to
// go; the newest entries first with user, key and summary; the text filter; Load more until
// the oldest entry; the empty log; a failure with what to do next.
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { AUDIT_PAGE, AuditStore } from '../lib/audit.svelte';
import { expectNoSeriousViolations } from '../testing/axe';
import { installFakeKeys } from '../testing/fake-keys';
import { FakeWorkspace } from '../testing/fake-workspace';
import AuditScreen from './AuditScreen.svelte';

function setUp(entries: number) {
  const fake = new FakeWorkspace();
  const connection = fake.addConnection({ id: 'prod', name: 'Prod' });
  installFakeKeys(fake, entries);
  const view = render(AuditScreen, { store: new AuditStore(fake.client), connection });
  return { fake, ...view };
}

const bodyRows = () => screen.getAllByRole('row').slice(1);
const summaries = () => bodyRows().map((r) => within(r).getAllByRole('cell')[4]?.textContent);

describe('AuditScreen', () => {
  it('says to connect first, with a link to Connections', async () => {
    const fake = new FakeWorkspace();
    const { container } = render(AuditScreen, {
      store: new AuditStore(fake.client),
      connection: null,
    });
    expect(screen.getByRole('status').textContent).toMatch(/Connect to an instance first/);
    expect(screen.getByRole('link', { name: 'Connections' })).toBeTruthy();
    expect(fake.calls).toEqual([]);
    await expectNoSeriousViolations(container);
  });

  it('shows the newest entries first, loads older ones, and filters what is loaded', async () => {
    const total = AUDIT_PAGE + 5;
    const { fake, container } = setUp(total);
    await waitFor(() => expect(bodyRows()).toHaveLength(AUDIT_PAGE));
    expect(summaries()[0]).toBe(
      `revision ${total} → ${total + 1}: 1 change (add user user${total})`,
    );
    const newest = within(bodyRows()[0]!).getAllByRole('cell');
    expect(newest[1]?.textContent).toBe('Built-in/Admin');
    expect(newest[3]?.textContent).toBe('policy.change');
    // Entries made with a key name it; the others (a password sign-in, a local command) say so.
    const keyCells = bodyRows().map((r) => within(r).getAllByRole('cell')[2]?.textContent?.trim());
    expect(new Set(keyCells)).toEqual(new Set(['feedgate desktop · 1', 'no key']));
    expect(screen.getByText(`${AUDIT_PAGE} entries loaded`)).toBeTruthy();
    await expectNoSeriousViolations(container);

    await fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(bodyRows()).toHaveLength(total));
    expect(summaries().at(-1)).toBe('revision 1 → 2: 1 change (add user user1)');
    expect(fake.callsTo('audit:list')).toEqual([
      { id: 'prod', limit: AUDIT_PAGE },
      { id: 'prod', limit: AUDIT_PAGE, before: 6 },
    ]);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(screen.getByText('The oldest entry is shown.')).toBeTruthy();

    const filter = screen.getByRole('searchbox', { name: 'Filter' });
    await fireEvent.input(filter, { target: { value: 'USER5 add' } });
    expect(summaries()).toEqual(
      [55, 54, 53, 52, 51, 50, 5].map(
        (n) => `revision ${n} → ${n + 1}: 1 change (add user user${n})`,
      ),
    );
    expect(screen.getByText(`7 of ${total} loaded entries match`)).toBeTruthy();
    await fireEvent.input(filter, { target: { value: 'nobody-at-all' } });
    expect(
      screen.getByText('No loaded entry matches “nobody-at-all”. Change the filter.'),
    ).toBeTruthy();
  });

  it('says when nothing is recorded yet', async () => {
    setUp(0);
    await waitFor(() =>
      expect(
        screen.getByText('Nothing recorded yet: every change to Prod will be listed here.'),
      ).toBeTruthy(),
    );
  });

  it('keeps what is shown when an older page fails, and says what to do', async () => {
    const { fake } = setUp(AUDIT_PAGE + 1);
    await waitFor(() => expect(bodyRows()).toHaveLength(AUDIT_PAGE));
    fake.answer('audit:list', () => {
      throw new Error('cannot reach http://127.0.0.1:9: ECONNREFUSED');
    });
    await fireEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'cannot reach http://127.0.0.1:9: ECONNREFUSED. The entries shown are kept: try Load more again',
      ),
    );
    expect(bodyRows()).toHaveLength(AUDIT_PAGE);
  });
});
