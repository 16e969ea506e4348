import { describe, expect, it } from 'vitest';
import type { IntegrationHealth, Notice } from '../../shared/domain.js';
import { FakeClock } from '../connector/fake-clock.js';
import { DesktopAlerts, FAILURE_BURST_MS, TICKET_FAILED_TITLE } from './desktop-alerts.js';

function failed(message: string): Notice {
  return { id: message, level: 'error', title: TICKET_FAILED_TITLE, message, at: '' };
}

function health(reachable: boolean | null): IntegrationHealth {
  return {
    level: reachable === false ? 'red' : 'green',
    summary: reachable === false ? 'Oceane cannot be reached: connection refused' : 'fine',
    reachable,
    lastSuccessAt: null,
    lastError: null,
    queueDepth: 0,
    waitingForRetry: 0,
    tokenExpiresAt: null,
  };
}

function setup(enabled = true) {
  const clock = new FakeClock();
  const shown: { title: string; body: string }[] = [];
  let on = enabled;
  const alerts = new DesktopAlerts({
    clock,
    notifier: { show: (n) => shown.push(n) },
    enabled: () => on,
  });
  return { clock, shown, alerts, setEnabled: (v: boolean) => (on = v) };
}

describe('desktop alerts', () => {
  it('show a failed ticket, as text even when the answer was a web page', () => {
    const s = setup();
    s.alerts.notice(failed('Oceane failed: <html><title>502 Bad Gateway</title></html>'));
    expect(s.shown).toEqual([
      {
        title: TICKET_FAILED_TITLE,
        body: 'Oceane failed: a web page from the server ("502 Bad Gateway")',
      },
    ]);
  });

  it('ignore successes and other notices', () => {
    const s = setup();
    s.alerts.notice({ ...failed('x'), level: 'success', title: 'Ticket created' });
    s.alerts.notice({ ...failed('x'), level: 'warning', title: 'Settings reset' });
    expect(s.shown).toEqual([]);
  });

  it('count a burst of failures into one more notification', () => {
    const s = setup();
    for (let i = 1; i <= 5; i++) s.alerts.notice(failed(`failure ${i}`));
    expect(s.shown).toHaveLength(1);
    s.clock.advance(FAILURE_BURST_MS);
    expect(s.shown[1]).toEqual({ title: '4 more tickets not created', body: 'Latest: failure 5' });
    s.clock.advance(FAILURE_BURST_MS);
    expect(s.shown).toHaveLength(2);
  });

  it('say when Oceane becomes unreachable and when it answers again, once each', () => {
    const s = setup();
    s.alerts.health(health(true));
    s.alerts.health(health(false));
    s.alerts.health(health(false));
    s.alerts.health(health(true));
    s.alerts.health(health(true));
    expect(s.shown.map((n) => n.title)).toEqual([
      'Oceane is unreachable',
      'Oceane is reachable again',
    ]);
    expect(s.shown[0]!.body).toContain('connection refused');
  });

  it('stay silent when the setting is off', () => {
    const s = setup(false);
    s.alerts.notice(failed('x'));
    s.alerts.health(health(false));
    expect(s.shown).toEqual([]);
    s.setEnabled(true);
    s.alerts.health(health(true));
    expect(s.shown.map((n) => n.title)).toEqual(['Oceane is reachable again']);
  });
});
