// The AppApi handler registry shared by both hosts (Electron main and the browser host):
// one table of handlers, one `invoke` that validates the arguments against the channel's
// schema, runs the handler, checks its result (in development and tests) and answers an
// AppApiResponse. Nothing here imports Electron or Fastify.
import {
  APP_API,
  APP_API_CHANNELS,
  AppApiError,
  describeIssues,
  isChannelName,
  type AppApiResponse,
  type AppApiErrorCode,
  type ChannelName,
  type ChannelResult,
  type ValidArgs,
} from '../../shared/app-api';
import type { Workspace } from '../../workspace/workspace';
import type { AppApiEventHub } from './events';

/** Where the handlers run, and how they push events. */
export interface HandlerContext {
  host: 'electron' | 'browser';
  events: AppApiEventHub;
  /** The open workspace; the workspace channels fail without one. */
  workspace?: Workspace;
}

export type AppApiHandlers = {
  [C in ChannelName]: (
    args: ValidArgs<C>,
    context: HandlerContext,
  ) => ChannelResult<C> | Promise<ChannelResult<C>>;
};

export interface AppApiRegistry {
  readonly channels: readonly ChannelName[];
  /** Validates `rawArgs`, runs the channel's handler and answers; never throws. */
  invoke(channel: string, rawArgs: unknown): Promise<AppApiResponse>;
}

export interface RegistryOptions {
  context: HandlerContext;
  /** Check every result against its schema: on in development and tests, off in a packaged app. */
  validateResults: boolean;
}

function failure(code: AppApiErrorCode, message: string): AppApiResponse {
  return { ok: false, error: { code, message } };
}

/** A handler's error as one line: its message only (a stack never leaves the back end). */
function errorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? '';
}

export function createRegistry(handlers: AppApiHandlers, options: RegistryOptions): AppApiRegistry {
  return {
    channels: APP_API_CHANNELS,
    async invoke(channel, rawArgs) {
      if (!isChannelName(channel)) {
        return failure(
          'unknown-channel',
          `unknown channel ${JSON.stringify(String(channel)).slice(0, 100)}`,
        );
      }
      const spec = APP_API[channel];
      const args = spec.args.safeParse(rawArgs);
      if (!args.success) {
        return failure(
          'bad-arguments',
          `${channel}: invalid arguments: ${describeIssues(args.error)}`,
        );
      }
      const handler = handlers[channel] as (
        args: unknown,
        context: HandlerContext,
      ) => Promise<unknown>;
      let value: unknown;
      try {
        value = await handler(args.data, options.context);
      } catch (error) {
        if (error instanceof AppApiError && error.code === 'refused')
          return failure('refused', `${channel} refused: ${errorLine(error)}`);
        return failure('internal', `${channel} failed: ${errorLine(error)}`);
      }
      if (options.validateResults) {
        const checked = spec.result.safeParse(value);
        if (!checked.success) {
          return failure(
            'bad-result',
            `${channel}: the result breaks the contract: ${describeIssues(checked.error)}`,
          );
        }
      }
      return { ok: true, value };
    },
  };
}
