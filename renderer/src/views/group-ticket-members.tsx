/**
 * The alarms of the Create Ticket dialog for a selection (issue 11): the check of every alarm
 * at once (`useGroupCheck`, the app's own records, one call), and the list the form shows:
 * element, parameter and severity of each alarm, the ones that already have a ticket or an
 * open request marked, with an "include" box (off for those, and never on for an open request).
 */
import { useEffect, useState } from 'react';
import type { Alarm } from '../../../shared/domain.js';
import { callMain } from '../api.js';
import { useAppStore } from '../store/store.js';
import { canInclude, groupMembers, setIncluded, type GroupMember } from './group-ticket-request.js';

/** Where the check of the selection is. */
export type GroupCheck =
  | { kind: 'checking' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; members: GroupMember[]; include: (key: string, on: boolean) => void };

/** Checks the alarms of `keys` (those still in the console) and keeps the operator's choices. */
export function useGroupCheck(keys: readonly string[]): GroupCheck {
  const [state, setState] = useState<
    | { kind: 'checking' }
    | { kind: 'error'; message: string }
    | { kind: 'ready'; members: GroupMember[] }
  >({ kind: 'checking' });
  useEffect(() => {
    let live = true;
    const index = useAppStore.getState().alarmIndex;
    const alarms: { key: string; alarm: Alarm }[] = [];
    for (const key of keys) {
      const alarm = index.get(key)?.alarm;
      if (alarm) alarms.push({ key, alarm });
    }
    const refs = alarms.map(({ alarm }) => ({ dmaId: alarm.dmaId, alarmId: alarm.alarmId }));
    void callMain((api) => api.checkGroup(refs)).then((r) => {
      if (!live) return;
      if (!r.ok) {
        setState({
          kind: 'error',
          message: `Could not check whether the selected alarms already have tickets. ${r.error.message}`,
        });
      } else setState({ kind: 'ready', members: groupMembers(alarms, r.value) });
    });
    return () => {
      live = false;
    };
  }, [keys]);
  if (state.kind !== 'ready') return state;
  return {
    kind: 'ready',
    members: state.members,
    include: (key, on) =>
      setState((s) =>
        s.kind === 'ready' ? { ...s, members: setIncluded(s.members, key, on) } : s,
      ),
  };
}

/** What the list says of an alarm's ticket. */
function ticketNote(member: GroupMember): string {
  const e = member.existing;
  if (!e) return '';
  if (e.status === 'Pending') return 'Ticket request pending: left out';
  return `Has ticket ${e.ticketId ?? ''}`.trim();
}

/** The alarms of the ticket, one row each, with their "include" boxes. */
export function GroupMemberList({
  members,
  onInclude,
}: {
  members: readonly GroupMember[];
  onInclude: (key: string, included: boolean) => void;
}) {
  const count = members.filter((m) => m.included).length;
  return (
    <section className="group-members" aria-label="Alarms of the ticket">
      <p className="modal-lead">
        One ticket for {count} of {members.length} selected alarms.
      </p>
      <div className="group-members-scroll">
        <table className="group-members-table">
          <thead>
            <tr>
              <th scope="col">Include</th>
              <th scope="col">Element</th>
              <th scope="col">Parameter</th>
              <th scope="col">Severity</th>
              <th scope="col">Ticket</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.key} className={m.existing ? 'group-member-ticketed' : undefined}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Include ${m.alarm.elementName} ${m.alarm.parameter}`}
                    checked={m.included}
                    disabled={!canInclude(m)}
                    onChange={(e) => onInclude(m.key, e.target.checked)}
                  />
                </td>
                <td>{m.alarm.elementName}</td>
                <td>{m.alarm.parameter}</td>
                <td>
                  <span className={`sev-chip sev-${m.alarm.severity.toLowerCase()}`}>
                    {m.alarm.severity}
                  </span>
                </td>
                <td>{ticketNote(m)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
