// The principal picker: cached principals at once, the directory search debounced (one call
// per pause in typing, older answers dropped), the cache alone when the directory fails, and
// the ARIA combobox keyboard (arrows, Enter, Escape).
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expectNoSeriousViolations } from '../testing/axe';
import type { PrincipalAnswer, PrincipalOption } from '../lib/principals';
import PrincipalPicker from './PrincipalPicker.svelte';

const cache: PrincipalOption[] = [
  { kind: 'user', name: 'alice', displayName: 'Alice Martin' },
  { kind: 'group', name: 'Developers' },
  { kind: 'user', name: 'bob', displayName: 'Bob Chen' },
];
const directory: PrincipalOption[] = [
  ...cache,
  { kind: 'user', name: 'alicia', displayName: 'Alicia Keller' },
  { kind: 'group', name: 'Release Managers' },
];

/** An in-memory directory that records its queries and answers after `delay` ms. */
function directorySearch(delay = 0) {
  const queries: string[] = [];
  const search = (query: string, signal: AbortSignal) =>
    new Promise<PrincipalAnswer>((resolve, reject) => {
      queries.push(query);
      const q = query.toLowerCase();
      const t = setTimeout(
        () =>
          resolve({
            source: 'server',
            principals: directory.filter((p) => p.name.toLowerCase().includes(q)),
          }),
        delay,
      );
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      });
    });
  return { queries, search };
}

const input = () => screen.getByRole('combobox', { name: 'Principal' });
const optionNames = () =>
  within(screen.getByRole('listbox', { hidden: true }))
    .queryAllByRole('option', { hidden: true })
    .map((o) => o.querySelector('.name')?.textContent ?? o.textContent?.trim());

async function type(text: string) {
  await fireEvent.input(input(), { target: { value: text } });
}

describe('PrincipalPicker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces the directory search and merges its answer with the cache', async () => {
    const { queries, search } = directorySearch();
    const { container } = render(PrincipalPicker, { label: 'Principal', cache, search });
    await type('a');
    await type('al');
    await type('ali');
    // Cached matches show at once, before the directory is asked.
    expect(optionNames()).toEqual(['alice']);
    expect(screen.getByText('Searching the directory…')).toBeTruthy();
    expect(queries).toEqual([]);
    await vi.advanceTimersByTimeAsync(300);
    expect(queries).toEqual(['ali']);
    expect(optionNames()).toEqual(['alice', 'alicia']);
    expect(input().getAttribute('aria-expanded')).toBe('true');
    vi.useRealTimers(); // axe schedules its own timers
    await expectNoSeriousViolations(container);
  });

  it('keeps only the answer to the latest query', async () => {
    const { queries, search } = directorySearch(500);
    render(PrincipalPicker, { label: 'Principal', cache, search });
    await type('rel');
    await vi.advanceTimersByTimeAsync(300);
    await type('dev');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(queries).toEqual(['rel', 'dev']);
    expect(optionNames()).toEqual(['Developers']);
  });

  it('falls back to the cache when the directory cannot be reached', async () => {
    const search = () => Promise.reject(new Error('ECONNREFUSED'));
    render(PrincipalPicker, { label: 'Principal', cache, search });
    await type('b');
    await vi.advanceTimersByTimeAsync(300);
    expect(optionNames()).toEqual(['bob']);
    expect(screen.getByText(/directory cannot be reached/)).toBeTruthy();
  });

  it("says so when the workspace's cache answered for an unreachable server", async () => {
    const search = () =>
      Promise.resolve<PrincipalAnswer>({
        source: 'cache',
        cachedAt: '2026-11-20T09:30:00.000Z',
        reason: 'cannot reach http://proget.example.com: ECONNREFUSED',
        principals: [{ kind: 'user', name: 'bobby', displayName: 'Bobby Tables' }],
      });
    render(PrincipalPicker, { label: 'Principal', cache, search });
    await type('bob');
    await vi.advanceTimersByTimeAsync(300);
    expect(optionNames()).toEqual(['bobby', 'bob']);
    const note = screen.getByText(/From the cache/).textContent ?? '';
    expect(note).toContain(new Date('2026-11-20T09:30:00.000Z').toLocaleString());
    expect(note).toContain('ECONNREFUSED');
  });

  it('works offline from the cache alone, matching display names too', async () => {
    render(PrincipalPicker, { label: 'Principal', cache });
    await type('chen');
    expect(optionNames()).toEqual(['bob']);
    expect(screen.getByText(/Offline/)).toBeTruthy();
    await type('zzz');
    expect(optionNames()).toEqual(['No matches']);
  });

  it('chooses with the arrow keys and Enter, and closes with Escape', async () => {
    const chosen: PrincipalOption[] = [];
    render(PrincipalPicker, {
      label: 'Principal',
      cache,
      onselect: (p: PrincipalOption) => chosen.push(p),
    });
    await type('e'); // alice, Developers (cache order)
    await fireEvent.keyDown(input(), { key: 'ArrowDown' });
    await fireEvent.keyDown(input(), { key: 'ArrowDown' });
    const activeId = input().getAttribute('aria-activedescendant');
    expect(document.getElementById(activeId ?? '')?.getAttribute('aria-selected')).toBe('true');
    expect(document.getElementById(activeId ?? '')?.textContent).toMatch(/Developers/);
    await fireEvent.keyDown(input(), { key: 'ArrowDown' }); // wraps to the first
    await fireEvent.keyDown(input(), { key: 'ArrowUp' }); // and back to the last
    await fireEvent.keyDown(input(), { key: 'Enter' });
    expect(chosen).toEqual([{ kind: 'group', name: 'Developers' }]);
    expect((input() as HTMLInputElement).value).toBe('Developers');
    expect(input().getAttribute('aria-expanded')).toBe('false');

    await type('bo');
    expect(input().getAttribute('aria-expanded')).toBe('true');
    await fireEvent.keyDown(input(), { key: 'Escape' });
    expect(input().getAttribute('aria-expanded')).toBe('false');
    await fireEvent.keyDown(input(), { key: 'Escape' });
    expect((input() as HTMLInputElement).value).toBe('');
  });
});
