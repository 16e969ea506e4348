/**
 * Group tickets in team mode (issue 11's "several alarms, one ticket", oceane-api.md 7.6): what
 * a console checks before the team's claims decide. As on a single console
 * (connector/ticket-lookups.ts `groupRefusal`), an alarm listed twice is refused, and so is an
 * alarm whose property names a live ticket, unless it is one of a group's other alarms that
 * the operator chose to include. The sentence names who asked for that ticket and when, when
 * the team's claims know it. An open request of any console on one of the alarms is refused
 * by the claims (team-claims.ts) when the request is queued.
 */
import { alarmKeyString, type CreateTicketRequest } from '../../shared/domain.js';
import type { AlarmPropertyPort } from '../connector/ports.js';
import { claimedSentence, type ClaimHolder } from './team-claims.js';
import { fromProperty } from './team-requests.js';

type Alarm = { dmaId: string; alarmId: string; elementName: string };

/** Why the request cannot be queued as it is, or null (the claims decide the rest). */
export async function teamLocalRefusal(
  request: CreateTicketRequest,
  alarms: AlarmPropertyPort,
  holderOf: (alarmKey: string) => Promise<ClaimHolder | null>,
): Promise<string | null> {
  const group = (request.otherAlarms ?? []).length > 0;
  const held = async (alarm: Alarm): Promise<string | null> => {
    const ticket = fromProperty(alarms.get(alarm.dmaId, alarm.alarmId));
    if (!ticket) return null;
    const key = alarmKeyString(alarm);
    const holder = await holderOf(key).catch(() => null);
    const has = `Alarm ${key} on ${alarm.elementName} already has ticket ${ticket.ticketId ?? ''}`;
    const include = group && alarm !== request ? '; leave it out or tick "include" for it' : '';
    return holder
      ? `${has}${include}. ${claimedSentence(holder, 'asking again', group)}`
      : `${has}${include}`;
  };
  const own = await held(request);
  if (own !== null) return own;
  const seen = new Set([alarmKeyString(request)]);
  for (const alarm of request.otherAlarms ?? []) {
    const key = alarmKeyString(alarm);
    if (seen.has(key)) return `Alarm ${key} is listed twice in the selection; select it once`;
    seen.add(key);
    if (alarm.includeTicketed) continue;
    const refused = await held(alarm);
    if (refused !== null) return refused;
  }
  return null;
}
