import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useAppStore } from './store.js';
import { MAX_PASSING_TOASTS, TICKET_FAILED_GROUP } from './toast-stack.js';

const initial = useAppStore.getState();

beforeEach(() => {
  vi.useFakeTimers();
  useAppStore.setState(initial, true);
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the Create Ticket dialog state', () => {
  it("closing after an answer leaves another alarm's dialog, opened meanwhile, open", () => {
    const s = useAppStore.getState();
    s.openCreateTicket('101/1', { 'Alarm ID': '1' });
    const first = useAppStore.getState().dialog!;
    s.closeDialog();
    s.openCreateTicket('101/2', { 'Alarm ID': '2' });

    s.closeDialogIfOpen(first);

    expect(useAppStore.getState().dialog?.alarmKey).toBe('101/2');
  });

  it('closing after an answer closes the dialog that is still the same', () => {
    const s = useAppStore.getState();
    s.openCreateTicket('101/1', {});

    s.closeDialogIfOpen(useAppStore.getState().dialog!);

    expect(useAppStore.getState().dialog).toBeNull();
  });
});

describe('notifications', () => {
  it('keep an error through a burst of successes, and let the successes fade', () => {
    const { notify } = useAppStore.getState();
    notify({
      level: 'error',
      title: 'Ticket not created',
      message: 'refused',
      group: TICKET_FAILED_GROUP,
    });
    for (let i = 0; i < 10; i++)
      notify({ level: 'success', title: 'Ticket created', message: `${i}` });

    expect(useAppStore.getState().toasts.filter((t) => t.level === 'success')).toHaveLength(
      MAX_PASSING_TOASTS,
    );
    vi.runAllTimers();
    expect(useAppStore.getState().toasts.map((t) => t.title)).toEqual(['Ticket not created']);
  });
});

describe('the pending flag of a request queued here', () => {
  it('shows at once and bumps the version the rows follow', () => {
    const before = useAppStore.getState().ticketFlagsVersion;

    useAppStore.getState().markAlarmQueued('101/1', 'instance-1');

    const s = useAppStore.getState();
    expect(s.ticketFlags.flagOf('101/1')).toBe('pending');
    expect(s.ticketFlagsVersion).toBeGreaterThan(before);
  });
});
