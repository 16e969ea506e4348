/**
 * The crash test's check of notes and status changes (issue 13): every note the app
 * acknowledged (queued durably, `note <alarmId> <noteId>`) is in Oceane exactly once, by its
 * id and by its text, and every resolution it acknowledged (`resolving <alarmId>`) left the
 * ticket resolved. Pure: it reads the simulator's ledger as given.
 */

/** A ticket of the ledger, as far as the notes and the status go. */
export interface LedgerTicketLife {
  externalIdentifier: { id: string }[];
  status: string;
  note?: { id?: string; text?: string }[];
}

/** What the app acknowledged. */
export interface ChangeEvidence {
  /** Note id -> the alarm key whose ticket it was for. */
  notes: ReadonlyMap<string, string>;
  /** Alarm keys whose ticket the app queued a resolution for. */
  resolutions: ReadonlySet<string>;
  ledger: readonly LedgerTicketLife[];
}

/** The counts of the final line's second part, and every disagreement, in words. */
export interface ChangeVerdict {
  notes: number;
  duplicateNotes: number;
  lostChanges: number;
  problems: string[];
}

/** Checks the notes and resolutions of a crash run. */
export function verifyChanges(evidence: ChangeEvidence): ChangeVerdict {
  const problems: string[] = [];
  const byId = new Map<string, number>();
  const byText = new Map<string, number>();
  const byAlarm = new Map<string, LedgerTicketLife>();
  let notes = 0;
  for (const ticket of evidence.ledger) {
    for (const x of ticket.externalIdentifier) byAlarm.set(x.id, ticket);
    for (const note of ticket.note ?? []) {
      notes++;
      if (note.id) byId.set(note.id, (byId.get(note.id) ?? 0) + 1);
      if (note.text) byText.set(note.text, (byText.get(note.text) ?? 0) + 1);
    }
  }
  let duplicateNotes = 0;
  for (const [id, count] of byId) {
    if (count > 1) {
      duplicateNotes += count - 1;
      problems.push(`note ${id}: ${count} times in Oceane`);
    }
  }
  for (const [text, count] of byText) {
    if (count > 1 && !problems.some((p) => p.includes(text))) {
      duplicateNotes += count - 1;
      problems.push(`note "${text}": ${count} times in Oceane (sent again under another id)`);
    }
  }
  let lostChanges = 0;
  for (const [id, alarm] of evidence.notes) {
    if (!byId.has(id)) {
      lostChanges++;
      problems.push(`note ${id} for ${alarm}: acknowledged, not in Oceane`);
    }
  }
  for (const alarm of evidence.resolutions) {
    const status = byAlarm.get(alarm)?.status;
    if (status !== 'resolved') {
      lostChanges++;
      problems.push(`resolution of ${alarm}: acknowledged, the ticket is ${status ?? 'missing'}`);
    }
  }
  return { notes, duplicateNotes, lostChanges, problems };
}

/** The second part of the final line: `notes: 30, duplicate notes: 0, lost changes: 0`. */
export function changeLine(verdict: Omit<ChangeVerdict, 'problems'>): string {
  return `notes: ${verdict.notes}, duplicate notes: ${verdict.duplicateNotes}, lost changes: ${verdict.lostChanges}`;
}
