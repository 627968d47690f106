// The contract itself: one name list for the preload, one schema map for everyone, equal;
// strict argument objects; error messages that name the field.
import { describe, expect, it } from 'vitest';
import {
  APP_API,
  APP_API_CHANNELS,
  APP_API_EVENT_PAYLOADS,
  APP_API_EVENTS,
  describeIssues,
  ipcChannelOf,
  isChannelName,
  isEventName,
} from './app-api';

describe('AppApi contract', () => {
  it('declares a schema for exactly the channel names the preload allows', () => {
    expect(Object.keys(APP_API).sort()).toEqual([...APP_API_CHANNELS].sort());
    expect(Object.keys(APP_API_EVENT_PAYLOADS).sort()).toEqual([...APP_API_EVENTS].sort());
  });

  it('names every channel and event domain:verb', () => {
    for (const name of [...APP_API_CHANNELS, ...APP_API_EVENTS]) {
      expect(name).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    }
  });

  it('recognizes only declared names', () => {
    expect(isChannelName('policy:check')).toBe(true);
    expect(isChannelName('sync:progress')).toBe(false);
    expect(isChannelName('constructor')).toBe(false);
    expect(isChannelName(42)).toBe(false);
    expect(isEventName('instance:status')).toBe(true);
    expect(isEventName('app:info')).toBe(false);
  });

  it('keeps AppApi IPC channels apart from any other', () => {
    expect(ipcChannelOf('app:info')).toBe('feedgate:app:info');
  });

  it('refuses unknown argument fields instead of dropping them', () => {
    for (const channel of APP_API_CHANNELS) {
      const result = APP_API[channel].args.safeParse({ sneaky: 1 });
      expect(result.success, channel).toBe(false);
      if (!result.success) expect(describeIssues(result.error)).toContain('sneaky: unknown field');
    }
  });

  it('describes each problem with its path', () => {
    const result = APP_API['policy:check'].args.safeParse({
      policyText: 7,
      query: { user: '', attribute: 'Feeds_ViewFeed', feed: ['x'] },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    const message = describeIssues(result.error);
    expect(message).toContain('policyText: ');
    expect(message).toContain('query.user: must not be empty');
    expect(message).toContain('query.feed: ');
    expect(message).not.toContain('\n');
  });

  it('checks event payloads', () => {
    const payload = { connectionId: 'c1', phase: 'pull', done: 1, total: null };
    expect(APP_API_EVENT_PAYLOADS['sync:progress'].safeParse(payload).success).toBe(true);
    const bad = APP_API_EVENT_PAYLOADS['instance:status'].safeParse({
      connectionId: 'c1',
      state: 'exploded',
    });
    expect(bad.success).toBe(false);
  });
});
