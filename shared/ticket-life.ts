/**
 * What crosses between the processes about a ticket's life after creation (issue 13): the
 * payloads of "Add note to ticket…" and of the ticket's history, with their schemas, and the
 * history as the Tickets detail pane shows it (Oceane's status changes and notes, and the
 * console's own notes and changes still on their way).
 */
import './zod-setup.js';
import { z } from 'zod';
import type { OceaneTicketStatus } from './domain.js';

/** The longest note the console sends. */
export const MAX_NOTE_LENGTH = 4000;

/** A ticket by its Oceane ID. */
export const ticketIdRefSchema = z.strictObject({
  ticketId: z.string().trim().min(1, 'A ticket ID is required').max(200),
});

/** "Add note to ticket…": the ticket and the note's text. */
export const addNoteSchema = z.strictObject({
  ticketId: z.string().trim().min(1, 'A ticket ID is required').max(200),
  text: z
    .string()
    .trim()
    .min(1, 'Write the note first')
    .max(MAX_NOTE_LENGTH, `A note has at most ${MAX_NOTE_LENGTH} characters`),
});
export type AddNoteRequest = z.infer<typeof addNoteSchema>;

/** Where an entry stands: in Oceane, still on its way, or given up. */
export type HistoryEntryState = 'done' | 'queued' | 'failed';

/** One line of a ticket's history. */
export type TicketHistoryItem =
  | {
      kind: 'status';
      at: string;
      from: OceaneTicketStatus | null;
      to: string;
      reason: string | null;
      state: HistoryEntryState;
    }
  | {
      kind: 'note';
      at: string;
      id: string;
      author: string | null;
      text: string;
      state: HistoryEntryState;
    };

/** A ticket's history, oldest first, with its current status in Oceane. */
export interface TicketHistory {
  ticketId: string;
  status: OceaneTicketStatus | null;
  entries: TicketHistoryItem[];
}

/** The statuses that mean "work done" in Oceane: the alarm may get a new ticket. */
export const DONE_OCEANE_STATUSES: ReadonlySet<string> = new Set<OceaneTicketStatus>([
  'resolved',
  'closed',
  'cancelled',
  'rejected',
]);
