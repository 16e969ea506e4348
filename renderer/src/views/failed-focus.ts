/**
 * Which Failed Ticket Requests row a notice led the operator to (issue 12): the latest failed
 * request of the ticket named by the store's `focusedFailedTicket`, among the rows shown.
 */

/** The key (failed request Instance) of the latest failure of `ticketInstance`, or null. */
export function latestFailureOf(
  rows: Iterable<{ row: { instance: string; ticketInstance: string; failedAt: string } }>,
  ticketInstance: string | null,
): string | null {
  if (ticketInstance === null) return null;
  let best: { instance: string; failedAt: string } | null = null;
  for (const { row } of rows) {
    if (row.ticketInstance !== ticketInstance) continue;
    if (best === null || row.failedAt > best.failedAt) best = row;
  }
  return best?.instance ?? null;
}
