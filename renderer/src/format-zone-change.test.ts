/**
 * The zone name follows the machine's zone when it changes while the app runs (names are kept
 * per zone, renderer/src/format.ts). Apart from format.test.ts because changing TZ at run time
 * only works in a process of its own (Vitest's default pool), not in the worker threads of the
 * mutation run, which sets the zone of format.test.ts beforehand (mutation.config.ts).
 */
import { describe, expect, it } from 'vitest';
import { localZoneName } from './format.js';
import { zoneSetterForTests } from './time-zone-for-tests.js';

const iso = '2025-03-14T08:02:07.000Z';
const setZone = zoneSetterForTests();

describe('times the operator reads', () => {
  it('name the zone the machine is in now, also after it changed (names are kept per zone)', () => {
    setZone('Europe/Paris');
    expect(localZoneName(new Date(iso), 'en-GB')).toBe('CET');
    setZone('America/New_York');
    expect(localZoneName(new Date(iso), 'en-US')).toBe('EDT');
    expect(localZoneName(new Date('2025-01-14T08:02:07Z'), 'en-US')).toBe('EST');
    setZone('Africa/Lagos');
    expect(localZoneName(new Date(iso), 'en-GB')).not.toBe('CET');
    setZone('Europe/Paris');
    expect(localZoneName(new Date(iso), 'en-GB')).toBe('CET');
  });
});
