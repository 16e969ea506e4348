/**
 * What must hold before a ticket request is accepted, beyond the request itself. Pure, so the
 * connector calls it with one line wherever a request is accepted (a new request, a Retry).
 */
import { fail, type Result } from '../../shared/result.js';

/** The sentence that refuses a ticket without a User ID, and leads to where it is set. */
export const USER_ID_REQUIRED =
  'A ticket cannot be sent without a User ID (the originator Oceane records for the ticket): set the User ID in Settings → API Settings, then request the ticket again.';

/**
 * The seed lists the User ID among the credentials: no ticket goes out without it. Answers the
 * refusal (code `not-configured`, as other missing settings), or null when the User ID is set.
 */
export function userIdRefusal(userId: string): Result<never> | null {
  return userId.trim() === '' ? fail('not-configured', USER_ID_REQUIRED) : null;
}
