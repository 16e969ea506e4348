/**
 * The mock DataMiner as a network service for a team of consoles (issue 14, point 5): one
 * MockDataMiner, shared over HTTP on 127.0.0.1 by default. Each console opens the event
 * stream (server-sent events: first every alarm, then each batch of changes and each
 * life-cycle event) and sends operator actions, alarm properties and the system's own alarms
 * as JSON requests, each validated (dataminer-wire.ts) before it reaches the DataMiner.
 * No Electron import: `npm run dataminer` and the tests run it in plain Node.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import type { MockDataMiner } from '../alarms/mock-dataminer.js';
import {
  DATAMINER_PATHS,
  MAX_REQUEST_BYTES,
  actionRequestSchema,
  propertiesRequestSchema,
  systemAlarmRequestSchema,
} from './dataminer-wire.js';

/** A comment line on every stream this often, so proxies and clients see the link alive. */
export const HEARTBEAT_MS = 15_000;

/** The running service. */
export interface RunningDataMinerServer {
  /** Where consoles connect, e.g. http://127.0.0.1:47830 */
  url: string;
  /** Open event streams (consoles connected). */
  streams(): number;
  /** Ends the streams and stops listening (the DataMiner itself stays open). */
  close(): Promise<void>;
}

/** Where to listen. */
export interface DataMinerServerOptions {
  host?: string;
  port?: number;
}

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(text);
}

async function readJson<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T> {
  if (!(req.headers['content-type'] ?? '').includes('application/json')) {
    throw new RequestError(415, 'Send the request as application/json.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new RequestError(413, 'The request is too large.');
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new RequestError(400, 'The request is not valid JSON.');
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? ` (${first.path.join('.')})` : '';
    throw new RequestError(400, `The request was refused: ${first?.message ?? 'invalid'}${where}.`);
  }
  return parsed.data;
}

/** Serves `dm` until closed. */
export async function startDataMinerServer(
  dm: MockDataMiner,
  options: DataMinerServerOptions = {},
): Promise<RunningDataMinerServer> {
  const streams = new Set<ServerResponse>();

  const event = (name: string, data: unknown): string =>
    `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  const broadcast = (text: string): void => {
    for (const res of streams) res.write(text);
  };
  const offs = [
    dm.onChange((change) => broadcast(event('changed', change))),
    dm.onEvent((e) => broadcast(event('alarm', e))),
  ];

  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(event('snapshot', { alarms: dm.list() }));
    streams.add(res);
    const heartbeat = setInterval(() => res.write(': alive\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://dataminer').pathname;
    if (req.method === 'GET' && path === DATAMINER_PATHS.stream) return openStream(req, res);
    if (req.method === 'GET' && path === DATAMINER_PATHS.health) {
      return send(res, 200, { ok: true, alarms: dm.list().length, consoles: streams.size });
    }
    if (req.method === 'POST' && path === DATAMINER_PATHS.actions) {
      const { action, operator } = await readJson(req, actionRequestSchema);
      return send(res, 200, await dm.act(action.keys, action.action, operator, action.comment));
    }
    if (req.method === 'POST' && path === DATAMINER_PATHS.properties) {
      const { key, properties } = await readJson(req, propertiesRequestSchema);
      await dm.set(key.dmaId, key.alarmId, properties);
      return send(res, 204);
    }
    if (req.method === 'POST' && path === DATAMINER_PATHS.systemAlarm) {
      dm.setSystemAlarm(await readJson(req, systemAlarmRequestSchema));
      return send(res, 204);
    }
    throw new RequestError(404, `No such DataMiner request: ${req.method} ${path}`);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof RequestError) return send(res, error.status, { error: error.message });
      const reason = error instanceof Error ? error.message : String(error);
      send(res, 500, { error: `The DataMiner could not do it: ${reason}` });
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    streams: () => streams.size,
    async close() {
      offs.forEach((off) => off());
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
