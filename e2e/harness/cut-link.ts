/**
 * A TCP relay on 127.0.0.1 that a test can cut, to stand for a console process that dies: the
 * console reaches PostgreSQL and the DataMiner through its own relays, and `cut()` drops every
 * connection at once and refuses new ones, so nothing more from the console reaches them (not
 * a last write to the database), as with a killed process.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A running relay. */
export interface CutLink {
  /** The relay's port on 127.0.0.1. */
  port: number;
  /** `url` with its host and port replaced by the relay's. */
  via(url: string): string;
  /** Drops every connection and stops listening (new connections are refused). */
  cut(): Promise<void>;
}

/** Relays 127.0.0.1:<port> to `target` (host and port) until cut. */
export async function startCutLink(target: { host: string; port: number }): Promise<CutLink> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // A reset is how a cut shows on the other end: nothing to report here.
    socket.on('error', () => undefined);
  };
  const server = createServer((inbound) => {
    track(inbound);
    const outbound = connect(target.port, target.host);
    track(outbound);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let cut: Promise<void> | null = null;
  return {
    port,
    via(url) {
      const next = new URL(url);
      next.hostname = '127.0.0.1';
      next.port = String(port);
      return next.toString().replace(/\/$/, '');
    },
    cut() {
      cut ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return cut;
    },
  };
}
