/**
 * Persistence of the simulator's ledger, so that a simulator stopped and started again on the
 * same port (issue 5: "Oceane unreachable for a while") still knows the tickets it created.
 * The file is rewritten atomically (temporary file, then rename) after every create, before the
 * answer is sent.
 */
import * as fs from 'node:fs';
import type { TroubleTicket } from './types.js';

interface LedgerDocument {
  version: 1;
  tickets: TroubleTicket[];
}

/** Reads the ledger; an absent file is an empty ledger. A file that is not a ledger throws. */
export function loadLedger(file: string): TroubleTicket[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const doc = JSON.parse(text) as Partial<LedgerDocument> | null;
  if (!doc || doc.version !== 1 || !Array.isArray(doc.tickets)) {
    throw new Error(`${file} is not an Oceane simulator ledger`);
  }
  return doc.tickets;
}

/** Writes the whole ledger atomically. */
export function saveLedger(file: string, tickets: readonly TroubleTicket[]): void {
  const doc: LedgerDocument = { version: 1, tickets: [...tickets] };
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, JSON.stringify(doc, null, 1));
  fs.renameSync(temp, file);
}
