/**
 * What the team's tests share: a ticket request for an alarm of the test element (with a
 * group's other alarms), and a wait for a value read from the database or the console.
 */
import type { CreateTicketRequest } from '../../shared/domain.js';

/** A request for alarm `7/<alarmId>` on RTR-<alarmId>, with `others` as its group (issue 11). */
export function teamRequest(alarmId: string, others: string[] = []): CreateTicketRequest {
  return {
    ...(others.length > 0
      ? {
          otherAlarms: others.map((id) => ({
            dmaId: '7',
            elementId: '2',
            alarmId: id,
            elementName: `SW-${id}`,
          })),
        }
      : {}),
    dmaId: '7',
    elementId: '1',
    alarmId,
    elementName: `RTR-${alarmId}`,
    priority: 'High',
    urgency: 'Medium',
    technicalImpact: 'Major',
  };
}

/** Reads until `done` says yes (the test's own time-out ends a wait that never does). */
export async function readUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  everyMs = 50,
): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
