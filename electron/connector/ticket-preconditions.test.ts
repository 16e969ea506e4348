import { describe, expect, it } from 'vitest';
import { USER_ID_REQUIRED, userIdRefusal } from './ticket-preconditions.js';

describe('userIdRefusal', () => {
  it('refuses a ticket without a User ID, with a sentence that leads to Settings', () => {
    for (const userId of ['', '   ', '\t\n']) {
      expect(userIdRefusal(userId)).toEqual({
        ok: false,
        error: { code: 'not-configured', message: USER_ID_REQUIRED },
      });
    }
    expect(USER_ID_REQUIRED).toMatch(/set the User ID in Settings → API Settings/);
  });

  it('accepts any User ID that is set', () => {
    expect(userIdRefusal('noc.operator')).toBeNull();
    expect(userIdRefusal(' x ')).toBeNull();
  });
});
