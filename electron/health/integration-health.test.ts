import { describe, expect, it } from 'vitest';
import type { IntegrationHealth, QueueStatus } from '../../shared/domain.js';
import { FakeClock } from '../connector/fake-clock.js';
import {
  HEALTH_EMIT_DELAY_MS,
  IntegrationHealthMonitor,
  computeHealth,
  verdictOf,
} from './integration-health.js';

const HOUR = 3_600_000;

function queue(attempts: number[]): QueueStatus {
  return {
    locked: false,
    lockedBy: null,
    pending: attempts.map((a, i) => ({
      instance: `i${i}`,
      dmaId: '1',
      alarmId: String(i),
      elementName: 'SW',
      enqueuedAt: '2025-01-01T00:00:00.000Z',
      attempts: a,
      nextAttemptAt: a > 0 ? '2025-01-01T00:01:00.000Z' : null,
      lastError: a > 0 ? 'no answer' : null,
    })),
  };
}

function setup() {
  const clock = new FakeClock();
  let expiry: number | null = null;
  const monitor = new IntegrationHealthMonitor({ clock, tokenExpiresAt: () => expiry });
  const heard: IntegrationHealth[] = [];
  monitor.on((h) => heard.push(h));
  return {
    clock,
    monitor,
    heard,
    setExpiry: (ms: number | null) => {
      expiry = ms;
    },
    settle: () => clock.advance(HEALTH_EMIT_DELAY_MS),
  };
}

describe('reading a call for the health light', () => {
  it('counts no answer, a gateway error and an unreachable token endpoint as unreachable', () => {
    expect(verdictOf({ kind: 'no-answer', message: 'refused' }).kind).toBe('unreachable');
    expect(verdictOf({ kind: 'answer', status: 502, message: 'Bad Gateway' }).kind).toBe(
      'unreachable',
    );
    const noToken = { httpStatus: null, appCode: '', message: 'time-out', description: '' };
    expect(verdictOf({ kind: 'token-failed', error: noToken }).kind).toBe('unreachable');
  });

  it('counts a refused token or a 401 as refused credentials, a 400 on a ticket as an answer', () => {
    const refused = { httpStatus: 401, appCode: '40', message: 'Invalid client', description: '' };
    expect(verdictOf({ kind: 'token-failed', error: refused }).kind).toBe('credentials-refused');
    expect(verdictOf({ kind: 'answer', status: 401, message: 'x' }).kind).toBe(
      'credentials-refused',
    );
    expect(verdictOf({ kind: 'answer', status: 400, message: 'Bad' }).kind).toBe('refused');
    expect(verdictOf({ kind: 'answer', status: 201, message: '' }).kind).toBe('ok');
  });
});

describe('the integration health light', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  const base = {
    lastSuccessAt: null,
    lastError: null,
    queue: null,
    tokenExpiresAt: now + HOUR,
    now,
  };

  it('is unknown before the first call and green after a success with a valid token', () => {
    expect(computeHealth({ ...base, verdict: null }).level).toBe('unknown');
    const green = computeHealth({ ...base, verdict: { kind: 'ok' }, lastSuccessAt: now });
    expect(green.level).toBe('green');
    expect(green.reachable).toBe(true);
    expect(green.tokenExpiresAt).toBe('2025-01-01T01:00:00.000Z');
  });

  it('is amber while requests wait for a retry, and red beats amber', () => {
    const amber = computeHealth({ ...base, verdict: { kind: 'ok' }, queue: queue([0, 2, 1]) });
    expect(amber).toMatchObject({ level: 'amber', queueDepth: 3, waitingForRetry: 2 });
    const red = computeHealth({
      ...base,
      verdict: { kind: 'unreachable', message: 'connection refused' },
      queue: queue([1]),
    });
    expect(red).toMatchObject({ level: 'red', reachable: false });
    expect(red.summary).toContain('connection refused');
  });

  it('says when the ticket status polls fail: amber beside a working queue, added to red', () => {
    const followProblem = 'Oceane could not be asked for ticket changes (the last poll: 503).';
    const amber = computeHealth({ ...base, verdict: { kind: 'ok' }, followProblem });
    expect(amber).toMatchObject({ level: 'amber', summary: followProblem });
    const red = computeHealth({
      ...base,
      verdict: { kind: 'unreachable', message: 'connection refused' },
      followProblem,
    });
    expect(red.level).toBe('red');
    expect(red.summary).toBe(`Oceane cannot be reached: connection refused. ${followProblem}`);
    const green = computeHealth({ ...base, verdict: { kind: 'ok' }, followProblem: null });
    expect(green.level).toBe('green');
  });

  it('is red when Oceane refuses the credentials, and says where to fix them', () => {
    const red = computeHealth({
      ...base,
      verdict: { kind: 'credentials-refused', message: 'Oceane refused the credentials: 401' },
    });
    expect(red.level).toBe('red');
    expect(red.summary).toContain('Settings');
  });

  it('is amber when the token has expired', () => {
    const h = computeHealth({ ...base, verdict: { kind: 'ok' }, tokenExpiresAt: now - 1 });
    expect(h.level).toBe('amber');
  });

  it('has a Team database part in team mode: red while unreachable, amber while connecting', () => {
    const ok = { kind: 'ok' as const };
    const alone = computeHealth({ ...base, verdict: ok, lastSuccessAt: now });
    expect(alone).not.toHaveProperty('teamDatabase');
    const reachable = { state: 'reachable' as const, message: 'The team database answers.' };
    const green = computeHealth({ ...base, verdict: ok, teamDatabase: reachable });
    expect(green).toMatchObject({ level: 'green', teamDatabase: reachable });
    const gone = {
      state: 'unreachable' as const,
      message:
        'The team database at db:5432 cannot be reached (refused); reconnecting with backoff.',
    };
    const red = computeHealth({ ...base, verdict: ok, teamDatabase: gone });
    expect(red).toMatchObject({ level: 'red', teamDatabase: gone });
    expect(red.summary.startsWith(gone.message)).toBe(true);
    const connecting = { state: 'connecting' as const, message: 'Connecting to db:5432.' };
    expect(computeHealth({ ...base, verdict: ok, teamDatabase: connecting }).level).toBe('amber');
  });
});

describe('the health monitor', () => {
  it('turns red when Oceane stops answering and green when it answers again', () => {
    const s = setup();
    s.setExpiry(s.clock.now() + HOUR);
    s.monitor.recordCall({ kind: 'answer', status: 201, message: '' });
    s.settle();
    s.monitor.recordCall({ kind: 'no-answer', message: 'connection refused' });
    s.settle();
    const answeredAt = new Date(s.clock.now()).toISOString();
    s.monitor.recordCall({ kind: 'answer', status: 200, message: '' });
    s.settle();
    expect(s.heard.map((h) => h.level)).toEqual(['green', 'red', 'green']);
    expect(s.heard[2]!.lastError?.message).toBe('connection refused');
    expect(s.heard[2]!.lastSuccessAt).toBe(answeredAt);
  });

  it('tells its listeners once per burst, and not at all when nothing visible changed', () => {
    const s = setup();
    s.monitor.recordQueue(queue([1]));
    s.monitor.recordQueue(queue([1, 1]));
    s.settle();
    expect(s.heard).toHaveLength(1);
    expect(s.heard[0]!.waitingForRetry).toBe(2);
    s.monitor.recordQueue(queue([1, 1]));
    s.settle();
    expect(s.heard).toHaveLength(1);
  });

  it('forgets what it learnt when the Base URL changes', () => {
    const s = setup();
    s.monitor.recordAuthentication({
      ok: false,
      error: { httpStatus: 401, appCode: '40', message: 'Invalid client', description: '' },
    });
    expect(s.monitor.view().level).toBe('red');
    s.monitor.reset();
    expect(s.monitor.view()).toMatchObject({ level: 'unknown', lastError: null });
  });
});
