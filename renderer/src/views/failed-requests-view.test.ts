import { describe, expect, it } from 'vitest';
import type { FailedRequestRow } from '../../../shared/domain.js';
import { joinFailedRequests } from './failed-requests-view.js';

const failedRow = (instance: string, ticketInstance: string): FailedRequestRow => ({
  instance,
  ticketInstance,
  httpErrorCode: 403,
  appErrorCode: '50',
  errorMessage: 'Access denied',
  errorDescription: '',
  failedAt: '2026-01-01T10:00:00.000Z',
});

describe('joinFailedRequests', () => {
  it('names the element and the alarm of the ticket each failure belongs to', () => {
    const tickets = new Map([['t1', { elementName: 'NE-PAR-1', dmaId: '101', alarmId: '5012' }]]);

    const [view] = joinFailedRequests([failedRow('f1', 't1')], tickets);

    expect(view).toMatchObject({
      joined: true,
      elementName: 'NE-PAR-1',
      dmaId: '101',
      alarmId: '5012',
    });
  });

  it('keeps a failure whose ticket is not known (yet), marked as not joined', () => {
    const [view] = joinFailedRequests([failedRow('f1', 'gone')], new Map());

    expect(view).toMatchObject({ joined: false, elementName: '', dmaId: '' });
    expect(view?.row.instance).toBe('f1');
  });
});
