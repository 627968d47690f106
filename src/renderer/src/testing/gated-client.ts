// A back end that keeps one channel waiting, as a slow server or a large policy does, so a
// test can see what a screen shows while the call runs. open() lets the pending calls through;
// later calls wait again until the next open().
import type { FakeWorkspace } from './fake-workspace';

type Client = FakeWorkspace['client'];

export function gatedClient(
  fake: FakeWorkspace,
  channel: string,
): { client: Client; open: () => void } {
  let release = (): void => undefined;
  let gate = new Promise<void>((resolve) => (release = resolve));
  const invoke = fake.client.invoke as (channel: string, args: unknown) => Promise<unknown>;
  const client: Client = {
    ...fake.client,
    invoke: (async (name: string, args: unknown) => {
      if (name === channel) await gate;
      return invoke(name, args);
    }) as Client['invoke'],
  };
  return {
    client,
    open: () => {
      release();
      gate = new Promise<void>((resolve) => (release = resolve));
    },
  };
}
