/**
 * The Create Ticket dialog for a selection (issue 11, oceane-api.md section 7.6), its pure
 * part: which alarms the dialog lists (the alarm the menu was opened on first, then the rest
 * of the selection), which of them go with the ticket by default (those without a ticket or
 * an open request), what "include" may change (an alarm with a ticket, never one with an open
 * request), and the one request the dialog sends: the first alarm without a ticket is the
 * request's own, the others go in `otherAlarms`.
 */
import type { Alarm, CreateTicketRequest, ExistingTicket } from '../../../shared/domain.js';
import { MAX_GROUP_ALARMS } from '../../../shared/schemas.js';

/** One alarm of the dialog: the alarm, what the app knows of its ticket, and the operator's choice. */
export interface GroupMember {
  key: string;
  alarm: Alarm;
  existing: ExistingTicket | null;
  included: boolean;
}

/**
 * The keys the dialog lists for a menu opened on `clicked`: the selection, `clicked` first,
 * when the selection holds it and more than one alarm; otherwise none (a single-alarm dialog).
 * A selection above MAX_GROUP_ALARMS gives a sentence for the operator instead.
 */
export function groupKeysFor(
  selection: Iterable<string>,
  clicked: string,
): { keys: string[] } | { error: string } {
  const all = [...selection];
  if (all.length < 2 || !all.includes(clicked)) return { keys: [] };
  if (all.length > MAX_GROUP_ALARMS) {
    return {
      error: `${all.length} alarms are selected; one ticket can stand for at most ${MAX_GROUP_ALARMS}. Select fewer alarms, then open Create Ticket again.`,
    };
  }
  return { keys: [clicked, ...all.filter((k) => k !== clicked)] };
}

/** The members of the dialog once checked: alarms without a ticket or request go by default. */
export function groupMembers(
  alarms: readonly { key: string; alarm: Alarm }[],
  existing: readonly (ExistingTicket | null)[],
): GroupMember[] {
  return alarms.map(({ key, alarm }, i) => {
    const found = existing[i] ?? null;
    return { key, alarm, existing: found, included: found === null };
  });
}

/** True when the operator may tick "include" for the member: it has a ticket, not a request. */
export function canInclude(member: GroupMember): boolean {
  return member.existing === null || member.existing.status === 'Created';
}

/** The members with `key` included or left out (a member with an open request stays out). */
export function setIncluded(
  members: readonly GroupMember[],
  key: string,
  included: boolean,
): GroupMember[] {
  return members.map((m) => (m.key === key && canInclude(m) ? { ...m, included } : m));
}

/** The ticket fields of the form, as CreateTicketRequest has them. */
export type TicketFields = Pick<
  CreateTicketRequest,
  'priority' | 'urgency' | 'technicalImpact' | 'clientImpact' | 'description'
>;

/**
 * The one request for the included members, or the sentence that says why there is none.
 * Its own alarm is the first included member without a ticket (the look-up after an
 * uncertain send goes by that alarm and finds the group's ticket, section 7.6).
 */
export function groupRequest(
  members: readonly GroupMember[],
  fields: Partial<Record<keyof TicketFields, unknown>>,
): { request: Record<string, unknown>; included: GroupMember[] } | { error: string } {
  const included = members.filter((m) => m.included && canInclude(m));
  const primary = included.find((m) => m.existing === null);
  if (!primary) {
    return {
      error:
        included.length === 0
          ? 'No alarm is included in the ticket. Tick "include" for at least one alarm.'
          : 'Every included alarm already has a ticket. Include at least one alarm without a ticket, or open the existing ticket instead.',
    };
  }
  const a = primary.alarm;
  const opt = (v: string): string | undefined => (v.trim() === '' ? undefined : v);
  const others = included
    .filter((m) => m !== primary)
    .map((m) => ({
      dmaId: m.alarm.dmaId,
      elementId: m.alarm.elementId,
      alarmId: m.alarm.alarmId,
      elementName: m.alarm.elementName,
      parameter: m.alarm.parameter.slice(0, 200),
      severity: m.alarm.severity,
      ...(m.existing ? { includeTicketed: true } : {}),
    }));
  const request: Record<string, unknown> = {
    dmaId: a.dmaId,
    elementId: a.elementId,
    alarmId: a.alarmId,
    elementName: a.elementName,
    alarmValue: opt(a.value.slice(0, 1000)),
    rootTime: opt(a.rootTime),
    parameter: a.parameter.slice(0, 200),
    severity: a.severity,
    ...fields,
  };
  if (others.length > 0) request.otherAlarms = others;
  return { request, included };
}
