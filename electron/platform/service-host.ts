/**
 * Holds the running services of the main process so that the window never waits for them
 * and a fault can restart them: requests from the renderer wait until the services are up
 * (the start may wait for a key ring to be unlocked), event listeners follow the services
 * across a restart, and the shell can add its own notices to `app:info`.
 */
import type { Notice } from '../../shared/domain.js';
import { fail, type Result } from '../../shared/result.js';
import type { Logger } from '../connector/ports.js';
import type { EventSink, IpcRouter } from '../ipc-router.js';

/** What the host needs of the services (`AppServices` has it). */
export interface HostedServices {
  router: IpcRouter;
  subscribe(sink: EventSink): () => void;
  close(): Promise<void>;
}

/** Options of `createServiceHost`. */
export interface ServiceHostOptions<S extends HostedServices> {
  /** Starts the services (opening the secret store first). */
  start: () => Promise<S>;
  logger: Logger;
  /** How long closing waits for the services before it goes on (the queue is durable). */
  closeTimeoutMs: number;
}

/** How a close ended. */
export type CloseOutcome = 'closed' | 'timeout' | 'not-running';

/** The services as main.ts sees them. */
export interface ServiceHost<S extends HostedServices> {
  /** Answers renderer requests once the services run; a failed start answers an error. */
  readonly router: IpcRouter;
  /** Events of the current services, and of the next ones after a restart. */
  subscribe(sink: EventSink): () => void;
  /** Starts the services; resolves with them, or null when the start failed (logged). */
  start(): Promise<S | null>;
  /** Closes the running services, then starts them again. */
  restart(): Promise<S | null>;
  /** Closes the services (at most `closeTimeoutMs`); later requests get an error. */
  close(): Promise<CloseOutcome>;
  /** Adds a notice that `app:info` reports from now on (e.g. "the window was reloaded"). */
  addNotice(notice: Notice): void;
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

/** Creates the host; nothing starts until `start()`. */
export function createServiceHost<S extends HostedServices>(
  options: ServiceHostOptions<S>,
): ServiceHost<S> {
  const { logger } = options;
  let current: Promise<S | null> | null = null;
  let startError = 'The services have not started yet.';
  /** Each listener, with how to detach it from the running services. */
  const sinks = new Map<EventSink, (() => void) | null>();
  let running: S | null = null;
  const notices: Notice[] = [];

  const attach = (services: S): void => {
    running = services;
    for (const sink of sinks.keys()) sinks.set(sink, services.subscribe(sink));
  };
  const detachAll = (): void => {
    running = null;
    for (const [sink, off] of sinks) {
      off?.();
      sinks.set(sink, null);
    }
  };

  const start = (): Promise<S | null> => {
    current ??= options.start().then(
      (services) => {
        attach(services);
        return services;
      },
      (error: unknown) => {
        startError = `The services could not start: ${describe(error)}`;
        logger.error('The services could not start', { error: describe(error) });
        return null;
      },
    );
    return current;
  };

  const close = async (): Promise<CloseOutcome> => {
    const running = current;
    current = null;
    startError = 'The services are stopped.';
    detachAll();
    const services = running ? await running : null;
    if (!services) return 'not-running';
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), options.closeTimeoutMs);
    });
    const outcome = await Promise.race([
      services.close().then(
        () => 'closed' as const,
        (error: unknown) => {
          logger.error('Closing the services failed', { error: describe(error) });
          return 'closed' as const;
        },
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      logger.warn('The services did not close in time; pending tickets stay queued');
    } else {
      logger.info('Services closed');
    }
    return outcome;
  };

  const router: IpcRouter = {
    async handle(channel, payload): Promise<Result<unknown>> {
      const services = await (current ?? Promise.resolve(null));
      if (!services) return fail('refused', startError);
      const result = await services.router.handle(channel, payload);
      if (channel === 'app:info' && result.ok && notices.length > 0) {
        const info = result.value as { notices: Notice[] };
        return { ...result, value: { ...info, notices: [...info.notices, ...notices] } };
      }
      return result;
    },
  };

  return {
    router,
    subscribe(sink) {
      sinks.set(sink, running ? running.subscribe(sink) : null);
      return () => {
        sinks.get(sink)?.();
        sinks.delete(sink);
      };
    },
    start,
    async restart() {
      logger.info('Restarting the services');
      await close();
      return start();
    },
    close,
    addNotice(notice) {
      notices.push(notice);
    },
  };
}
