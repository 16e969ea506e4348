/**
 * A console's view of the team's DataMiner process (issue 14, point 5), as DataMiner Cube
 * connects to an Agent: the alarms are mirrored from the event stream (every alarm on connect,
 * then each change), and operator actions, alarm properties and the system's own alarms are
 * sent as requests. Every message from the network is validated (dataminer-wire.ts). When the
 * DataMiner cannot be reached the console keeps the alarms it last saw, says so through
 * `onStatus`, and reconnects by itself with a growing back-off; the snapshot it then gets
 * replaces the mirror. No Electron import.
 */
import type {
  Alarm,
  AlarmActionKind,
  AlarmActionOutcome,
  AlarmKey,
  AlarmProperties,
  AlarmsChanged,
} from '../../shared/domain.js';
import { alarmKeyString } from '../../shared/domain.js';
import type { AlarmEvent } from '../alarms/alarm-events.js';
import { notifyAll, subscribe } from '../alarms/alarm-events.js';
import type { SystemAlarmSpec } from '../alarms/system-alarm.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../connector/ports.js';
import type { DataMinerPort } from './dataminer-port.js';
import { HEARTBEAT_MS } from './dataminer-server.js';
import {
  DATAMINER_PATHS,
  actionOutcomeSchema,
  alarmEventSchema,
  changedEventSchema,
  errorAnswerSchema,
  snapshotEventSchema,
} from './dataminer-wire.js';

/** Whether the console reaches the DataMiner, and what went wrong when it does not. */
export interface DataMinerStatus {
  connected: boolean;
  url: string;
  /** A sentence for the operator when not connected; null when connected. */
  problem: string | null;
}

export interface RemoteDataMinerOptions {
  /** The DataMiner's address, e.g. http://127.0.0.1:47830 */
  url: string;
  logger?: Logger;
  clock?: Clock;
  /** First wait before a reconnect (ms, default 500); it doubles up to maxBackoffMs. */
  initialBackoffMs?: number;
  /** Longest wait between reconnects (ms, default 30 s). */
  maxBackoffMs?: number;
  /** How long `connect` waits for the first snapshot before it returns anyway (default 5 s). */
  firstSnapshotMs?: number;
  /** No byte on the stream for this long means the link is dead (default 2.5 heartbeats). */
  silenceMs?: number;
}

/** The reason of a failed fetch, in words (Node puts the useful part in `cause`). */
function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return error.message;
}

export class RemoteDataMiner implements DataMinerPort {
  readonly imported = null;
  readonly stateRecovery = null;
  private readonly alarms = new Map<string, Alarm>();
  private readonly listeners = new Set<(change: AlarmsChanged) => void>();
  private readonly eventListeners = new Set<(event: AlarmEvent) => void>();
  private readonly statusListeners = new Set<(status: DataMinerStatus) => void>();
  /** The latest system alarm per element and parameter, sent again after each reconnect. */
  private readonly systemAlarms = new Map<string, SystemAlarmSpec>();
  private readonly base: string;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private current: DataMinerStatus;
  private abort: AbortController | null = null;
  private retryTimer: unknown = null;
  private backoffMs: number;
  private closed = false;
  private firstSnapshot: () => void = () => undefined;

  private constructor(private readonly options: RemoteDataMinerOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.backoffMs = options.initialBackoffMs ?? 500;
    this.current = { connected: false, url: this.base, problem: 'Connecting to the DataMiner' };
  }

  /**
   * Connects and resolves once the first snapshot is in, or the first attempt failed, or after
   * `firstSnapshotMs` without an answer (the console starts anyway and keeps trying).
   */
  static async connect(options: RemoteDataMinerOptions): Promise<RemoteDataMiner> {
    const dm = new RemoteDataMiner(options);
    const first = new Promise<void>((resolve) => {
      dm.firstSnapshot = resolve;
      const timer = setTimeout(resolve, options.firstSnapshotMs ?? 5_000);
      timer.unref();
    });
    dm.open();
    await first;
    return dm;
  }

  status(): DataMinerStatus {
    return this.current;
  }

  /** Hears each change of the connection's status. */
  onStatus(listener: (status: DataMinerStatus) => void): () => void {
    return subscribe(this.statusListeners, listener);
  }

  list(): Alarm[] {
    return [...this.alarms.values()];
  }

  find(dmaId: string, alarmId: string): Alarm | undefined {
    return this.alarms.get(alarmKeyString({ dmaId, alarmId }));
  }

  /** The properties of an alarm as last seen (those of an alarm that has gone are not known). */
  get(dmaId: string, alarmId: string): AlarmProperties {
    return { ...this.find(dmaId, alarmId)?.properties };
  }

  async set(dmaId: string, alarmId: string, properties: AlarmProperties): Promise<void> {
    await this.post(DATAMINER_PATHS.properties, { key: { dmaId, alarmId }, properties });
  }

  async act(
    keys: readonly AlarmKey[],
    action: AlarmActionKind,
    operator: string,
    comment?: string,
  ): Promise<AlarmActionOutcome> {
    const body = {
      action: {
        keys: keys.map(({ dmaId, alarmId }) => ({ dmaId, alarmId })),
        action,
        ...(comment === undefined ? {} : { comment }),
      },
      operator,
    };
    const answer = await this.post(DATAMINER_PATHS.actions, body);
    const outcome = actionOutcomeSchema.safeParse(answer);
    if (!outcome.success) throw new Error('The DataMiner answered the action with something else');
    return outcome.data;
  }

  /** Cleared alarms stay as long as the DataMiner process says (its own option). */
  setClearedVisibleMs(): void {}

  setSystemAlarm(spec: SystemAlarmSpec): void {
    this.systemAlarms.set(`${spec.elementId}/${spec.parameter}`, spec);
    this.post(DATAMINER_PATHS.systemAlarm, spec).catch((error: unknown) => {
      this.logger.warn('The system alarm waits for the DataMiner', { reason: reasonOf(error) });
    });
  }

  onChange(listener: (change: AlarmsChanged) => void): () => void {
    return subscribe(this.listeners, listener);
  }

  onEvent(listener: (event: AlarmEvent) => void): () => void {
    return subscribe(this.eventListeners, listener);
  }

  tick(): AlarmsChanged {
    throw new Error('Live alarm changes come from the DataMiner process, not from a console');
  }

  /** The DataMiner process runs its own live changes. */
  start(): void {}
  stop(): void {}

  async close(): Promise<void> {
    this.closed = true;
    this.abort?.abort();
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.listeners.clear();
    this.eventListeners.clear();
    this.statusListeners.clear();
  }

  private async post(path: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new Error(
        `The DataMiner at ${this.base} cannot be reached (${reasonOf(error)}); try again when it is back`,
      );
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      throw new Error(`The DataMiner answered ${res.status} with something that is not JSON`);
    }
    if (!res.ok) {
      const answer = errorAnswerSchema.safeParse(json);
      throw new Error(answer.success ? answer.data.error : `The DataMiner answered ${res.status}`);
    }
    return json;
  }

  private setStatus(connected: boolean, problem: string | null): void {
    if (this.current.connected === connected && this.current.problem === problem) return;
    this.current = { connected, url: this.base, problem };
    for (const listener of [...this.statusListeners]) listener(this.current);
  }

  /** Opens the stream; on its end or failure, waits and opens it again. */
  private open(): void {
    if (this.closed) return;
    const abort = new AbortController();
    this.abort = abort;
    this.read(abort).then(
      () => this.retry(abort, 'The DataMiner closed the connection'),
      (error: unknown) => this.retry(abort, reasonOf(error)),
    );
  }

  private retry(abort: AbortController, reason: string): void {
    if (this.closed || this.abort !== abort) return;
    this.abort = null;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(wait * 2, this.options.maxBackoffMs ?? 30_000);
    const problem = `The DataMiner at ${this.base} cannot be reached (${reason}). The alarms shown may be out of date; the console reconnects by itself.`;
    this.setStatus(false, problem);
    // `connect` waits no longer: the DataMiner is known to be unreachable.
    this.firstSnapshot();
    this.logger.warn('DataMiner unreachable', { url: this.base, reason, retryInMs: wait });
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = null;
      this.open();
    }, wait);
  }

  private async read(abort: AbortController): Promise<void> {
    const res = await fetch(`${this.base}${DATAMINER_PATHS.stream}`, {
      headers: { accept: 'text/event-stream' },
      signal: abort.signal,
    });
    if (!res.ok || !res.body) throw new Error(`it answered ${res.status}`);
    const silenceMs = this.options.silenceMs ?? HEARTBEAT_MS * 2.5;
    let watchdog = setTimeout(() => abort.abort(new Error('no heartbeat')), silenceMs);
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => abort.abort(new Error('no heartbeat')), silenceMs);
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          this.handle(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } finally {
      clearTimeout(watchdog);
    }
  }

  /** One stream message: `event:` and `data:` lines; comments (heartbeats) are skipped. */
  private handle(block: string): void {
    let name = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) name = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(data.join('\n'));
    } catch {
      this.logger.warn('The DataMiner sent a message that is not JSON', { event: name });
      return;
    }
    if (name === 'snapshot') this.applySnapshot(value);
    else if (name === 'changed') this.applyChange(value);
    else if (name === 'alarm') {
      const event = alarmEventSchema.safeParse(value);
      if (!event.success) return this.refused(name);
      for (const listener of [...this.eventListeners]) listener(event.data);
    }
  }

  private refused(event: string): void {
    this.logger.warn('The DataMiner sent a message that does not match the contract', { event });
  }

  private applySnapshot(value: unknown): void {
    const snapshot = snapshotEventSchema.safeParse(value);
    if (!snapshot.success) {
      this.refused('snapshot');
      throw new Error('its list of alarms does not match the contract');
    }
    const before = new Set(this.alarms.keys());
    this.alarms.clear();
    for (const alarm of snapshot.data.alarms) {
      const key = alarmKeyString(alarm);
      this.alarms.set(key, alarm);
      before.delete(key);
    }
    this.backoffMs = this.options.initialBackoffMs ?? 500;
    this.setStatus(true, null);
    this.firstSnapshot();
    for (const spec of this.systemAlarms.values()) this.setSystemAlarm(spec);
    notifyAll(this.listeners, { upserted: snapshot.data.alarms, removed: [...before] });
  }

  private applyChange(value: unknown): void {
    const change = changedEventSchema.safeParse(value);
    if (!change.success) return this.refused('changed');
    for (const key of change.data.removed) this.alarms.delete(key);
    for (const alarm of change.data.upserted) this.alarms.set(alarmKeyString(alarm), alarm);
    notifyAll(this.listeners, change.data);
  }
}
