import { describe, expect, it } from 'vitest';
import type { Toast } from './store-types.js';
import {
  MAX_GROUP_TOASTS,
  MAX_PASSING_TOASTS,
  TICKET_FAILED_GROUP,
  pushToast,
  summaryId,
  upsertToast,
} from './toast-stack.js';

let seq = 0;
function toast(level: Toast['level'], title: string, extra: Partial<Toast> = {}): Toast {
  seq++;
  return { id: `t${seq}`, level, title, message: `message ${seq}`, ...extra };
}

function pushAll(toasts: readonly Toast[]): readonly Toast[] {
  return toasts.reduce<readonly Toast[]>((stack, t) => pushToast(stack, t), []);
}

describe('pushToast', () => {
  it('keeps every error while a burst of successes arrives after it', () => {
    const error = toast('error', 'Ticket not created');
    const warning = toast('warning', 'Tickets file recovered');
    const successes = Array.from({ length: 20 }, () => toast('success', 'Ticket created'));

    const stack = pushAll([error, warning, ...successes]);

    expect(stack).toContain(error);
    expect(stack).toContain(warning);
    expect(stack.filter((t) => t.level === 'success')).toEqual(
      successes.slice(-MAX_PASSING_TOASTS),
    );
  });

  it('drops the oldest success or information first, keeping arrival order', () => {
    const first = toast('info', 'Note');
    const rest = Array.from({ length: MAX_PASSING_TOASTS }, () =>
      toast('success', 'Ticket created'),
    );

    const stack = pushAll([first, ...rest]);

    expect(stack).toEqual(rest);
  });

  it('ignores a notice delivered twice', () => {
    const error = toast('error', 'Storage problem');
    const once = pushAll([error]);

    expect(pushToast(once, { ...error })).toBe(once);
  });

  it('shows failed tickets one by one up to the limit', () => {
    const failures = Array.from({ length: MAX_GROUP_TOASTS }, () =>
      toast('error', 'Ticket not created', { group: TICKET_FAILED_GROUP }),
    );

    expect(pushAll(failures)).toEqual(failures);
  });

  it('collapses a pile of failed tickets into one toast that counts them and opens the failed view', () => {
    const failures = Array.from({ length: MAX_GROUP_TOASTS + 2 }, () =>
      toast('error', 'Ticket not created', { group: TICKET_FAILED_GROUP }),
    );
    const other = toast('error', 'Storage problem');

    const stack = pushAll([other, ...failures]);

    expect(stack).toHaveLength(2);
    expect(stack[0]).toBe(other);
    const summary = stack[1]!;
    expect(summary.id).toBe(summaryId(TICKET_FAILED_GROUP));
    expect(summary.level).toBe('error');
    expect(summary.title).toBe(`${MAX_GROUP_TOASTS + 2} tickets failed`);
    expect(summary.message).toContain(failures.at(-1)!.message);
    expect(summary.action).toEqual({ label: 'Open Failed Ticket Requests', view: 'failed' });
  });

  it('counts later failures into the summary already shown', () => {
    const failures = Array.from({ length: MAX_GROUP_TOASTS + 1 }, () =>
      toast('error', 'Ticket not created', { group: TICKET_FAILED_GROUP }),
    );
    const collapsed = pushAll(failures);

    const more = pushToast(
      collapsed,
      toast('error', 'Ticket not created', { group: TICKET_FAILED_GROUP }),
    );

    expect(more).toHaveLength(1);
    expect(more[0]!.count).toBe(MAX_GROUP_TOASTS + 2);
    expect(more[0]!.title).toBe(`${MAX_GROUP_TOASTS + 2} tickets failed`);
  });

  it('starts counting again after the operator dismissed the summary', () => {
    const collapsed = pushAll(
      Array.from({ length: MAX_GROUP_TOASTS + 1 }, () =>
        toast('error', 'Ticket not created', { group: TICKET_FAILED_GROUP }),
      ),
    );
    const dismissed = collapsed.filter((t) => t.id !== summaryId(TICKET_FAILED_GROUP));

    const next = toast('error', 'Ticket not created', { group: TICKET_FAILED_GROUP });

    expect(pushToast(dismissed, next)).toEqual([next]);
  });

  it('collapses repeated errors of one title, without an action', () => {
    const repeats = Array.from({ length: MAX_GROUP_TOASTS + 1 }, () =>
      toast('error', 'Storage problem'),
    );

    const stack = pushAll(repeats);

    expect(stack).toHaveLength(1);
    expect(stack[0]!.title).toBe(`Storage problem (${MAX_GROUP_TOASTS + 1} times)`);
    expect(stack[0]!.message).toBe(repeats.at(-1)!.message);
    expect(stack[0]!.action).toBeUndefined();
  });

  it('never collapses successes into a summary', () => {
    const successes = Array.from({ length: 10 }, () => toast('success', 'Ticket created'));

    const stack = pushAll(successes);

    expect(stack.every((t) => t.count === undefined)).toBe(true);
  });
});

describe('groups and upserts', () => {
  it('keeps errors of different titles or levels apart', () => {
    const stack = pushAll([
      toast('error', 'A'),
      toast('error', 'B'),
      toast('warning', 'A'),
      toast('error', 'A'),
      toast('warning', 'B'),
    ]);
    expect(stack).toHaveLength(5);
    expect(stack.some((t) => t.count !== undefined)).toBe(false);
  });

  it('names the summary of a group after the group', () => {
    expect(summaryId('error:Storage problem')).toBe('summary:error:Storage problem');
    const stack = pushAll(Array.from({ length: 4 }, () => toast('error', 'Down')));
    expect(stack.map((t) => t.id)).toEqual(['summary:error:Down']);
    expect(stack[0]).toMatchObject({ title: 'Down (4 times)', count: 4 });
  });

  it("replaces the toast with the same id, newest last, and adds one that isn't there", () => {
    const requested = toast('info', 'Ticket requested', { id: 'ticket-1' });
    const error = toast('error', 'Storage problem');
    const stack = pushAll([requested, error]);
    const created = toast('success', 'Ticket created', { id: 'ticket-1' });
    expect(upsertToast(stack, created)).toEqual([error, created]);
    const other = toast('success', 'Ticket created', { id: 'ticket-2' });
    expect(upsertToast(stack, other)).toEqual([requested, error, other]);
  });
});
