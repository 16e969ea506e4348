import { describe, expect, it } from 'vitest';
import type { Notice } from '../../shared/domain.js';
import { ok } from '../../shared/result.js';
import { silentLogger } from '../connector/ports.js';
import type { EventSink } from '../ipc-router.js';
import { createServiceHost, type HostedServices } from './service-host.js';

/** Services that answer `app:info` with their generation and emit events on demand. */
function fakeServices(generation: number, closeMs = 0) {
  const sinks = new Set<EventSink>();
  const services: HostedServices & { emit(): void; closed: boolean } = {
    closed: false,
    router: {
      handle: (channel) =>
        Promise.resolve(
          ok(channel === 'app:info' ? { version: String(generation), notices: [] } : generation),
        ),
    },
    subscribe(sink) {
      sinks.add(sink);
      return () => sinks.delete(sink);
    },
    close() {
      services.closed = true;
      return new Promise((resolve) => setTimeout(resolve, closeMs));
    },
    emit() {
      for (const sink of sinks) sink('queue:changed', { generation } as never);
    },
  };
  return services;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const notice: Notice = {
  id: 'n1',
  level: 'warning',
  title: 'The window was reloaded',
  message: 'm',
  at: '2026-01-01T00:00:00.000Z',
};

describe('the service host', () => {
  it('lets renderer requests wait while the services start (a key ring being unlocked)', async () => {
    const started = deferred<ReturnType<typeof fakeServices>>();
    const host = createServiceHost({
      start: () => started.promise,
      logger: silentLogger,
      closeTimeoutMs: 1000,
    });
    void host.start();
    let answer: unknown = null;
    const request = host.router.handle('queue:status', undefined).then((r) => (answer = r));
    await new Promise((r) => setTimeout(r, 10));
    expect(answer).toBeNull();
    started.resolve(fakeServices(1));
    await request;
    expect(answer).toEqual(ok(1));
  });

  it('answers an error when the services could not start', async () => {
    const host = createServiceHost({
      start: () => Promise.reject(new Error('disk full')),
      logger: silentLogger,
      closeTimeoutMs: 1000,
    });
    expect(await host.start()).toBeNull();
    const result = await host.router.handle('queue:status', undefined);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.message).toContain('disk full');
  });

  it('restarts: the old services close, requests and events go to the new ones', async () => {
    let generation = 0;
    const all: ReturnType<typeof fakeServices>[] = [];
    const host = createServiceHost({
      start: () => {
        const s = fakeServices(++generation);
        all.push(s);
        return Promise.resolve(s);
      },
      logger: silentLogger,
      closeTimeoutMs: 1000,
    });
    const events: unknown[] = [];
    host.subscribe((_channel, payload) => events.push(payload));
    await host.start();
    all[0]!.emit();
    await host.restart();
    expect(all[0]!.closed).toBe(true);
    all[0]!.emit();
    all[1]!.emit();
    expect(events).toEqual([{ generation: 1 }, { generation: 2 }]);
    expect(await host.router.handle('queue:status', undefined)).toEqual(ok(2));
  });

  it('does not wait forever for services that do not close', async () => {
    const host = createServiceHost({
      start: () => Promise.resolve(fakeServices(1, 10_000)),
      logger: silentLogger,
      closeTimeoutMs: 20,
    });
    await host.start();
    expect(await host.close()).toBe('timeout');
    expect((await host.router.handle('queue:status', undefined)).ok).toBe(false);
  });

  it("adds the shell's notices to app:info", async () => {
    const host = createServiceHost({
      start: () => Promise.resolve(fakeServices(1)),
      logger: silentLogger,
      closeTimeoutMs: 1000,
    });
    await host.start();
    host.addNotice(notice);
    expect(await host.router.handle('app:info', undefined)).toEqual(
      ok({ version: '1', notices: [notice] }),
    );
  });
});
