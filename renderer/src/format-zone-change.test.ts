/**
 * The zone name follows the machine's zone when it changes while the app runs (names are kept
 * per zone, renderer/src/format.ts). Apart from format.test.ts because changing TZ at run time
 * only works in a process of its own (Vitest's default pool), not in the worker threads of the
 * mutation run, which sets the zone of format.test.ts beforehand (mutation.config.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { localZoneName } from './format.js';

const iso = '2025-03-14T08:02:07.000Z';
const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } })
  .process.env;
const machineZone = env.TZ;
afterEach(() => {
  if (machineZone === undefined) delete env.TZ;
  else env.TZ = machineZone;
});

describe('times the operator reads', () => {
  it('name the zone the machine is in now, also after it changed (names are kept per zone)', () => {
    env.TZ = 'Europe/Paris';
    expect(localZoneName(new Date(iso), 'en-GB')).toBe('CET');
    env.TZ = 'America/New_York';
    expect(localZoneName(new Date(iso), 'en-US')).toBe('EDT');
    expect(localZoneName(new Date('2025-01-14T08:02:07Z'), 'en-US')).toBe('EST');
    env.TZ = 'Africa/Lagos';
    expect(localZoneName(new Date(iso), 'en-GB')).not.toBe('CET');
    env.TZ = 'Europe/Paris';
    expect(localZoneName(new Date(iso), 'en-GB')).toBe('CET');
  });
});
