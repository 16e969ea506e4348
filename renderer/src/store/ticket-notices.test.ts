import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../shared/domain.js';
import { requestedToast, toastOfNotice } from './ticket-notices.js';
import { isPassing, upsertToast } from './toast-stack.js';
import type { Toast } from './store-types.js';

const notice = (extra: Partial<Notice>): Notice => ({
  id: 'n1',
  level: 'success',
  title: 'Ticket created',
  message: 'Ticket OCE-1 created for SW-1',
  at: '2025-01-01T00:00:00.000Z',
  ...extra,
});

describe("a ticket's one notice", () => {
  it('goes from requested to created in place instead of stacking a second toast', () => {
    let stack: readonly Toast[] = [];
    stack = upsertToast(stack, requestedToast('i-1', 'SW-1'));
    stack = upsertToast(stack, toastOfNotice(notice({ ticketInstance: 'i-1' })));
    expect(stack).toHaveLength(1);
    expect(stack[0]).toMatchObject({ title: 'Ticket created', level: 'success' });
    expect(isPassing(stack[0]!)).toBe(true);
  });

  it('goes from requested to failed, staying, with a way to its Failed Ticket Requests row', () => {
    let stack: readonly Toast[] = [requestedToast('i-1', 'SW-1'), requestedToast('i-2', 'SW-2')];
    const failure = notice({
      level: 'error',
      title: 'Ticket not created',
      message: 'Oceane failed: <html><head><title>502 Bad Gateway</title></head></html>',
      ticketInstance: 'i-1',
    });
    stack = upsertToast(stack, toastOfNotice(failure));
    expect(stack.map((t) => t.title)).toEqual(['Ticket requested', 'Ticket not created']);
    const failed = stack[1]!;
    expect(isPassing(failed)).toBe(false);
    expect(failed.action).toEqual({
      label: 'Show in Failed Ticket Requests',
      view: 'failed',
      failedTicket: 'i-1',
    });
    expect(failed.message).toBe('Oceane failed: a web page from the server ("502 Bad Gateway")');
  });

  it('leaves other notices as they are, with their own ids', () => {
    const t = toastOfNotice(notice({ id: 'recovery-1', level: 'warning', title: 'Recovered' }));
    expect(t).toEqual({
      id: 'recovery-1',
      level: 'warning',
      title: 'Recovered',
      message: 'Ticket OCE-1 created for SW-1',
    });
  });
});
