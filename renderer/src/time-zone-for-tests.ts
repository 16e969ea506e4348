/**
 * For the renderer's tests of local times (format.test.ts, format-zone-change.test.ts): sets
 * the machine's time zone (TZ) for a test and puts the machine's own back after each test.
 * The tests run in Node, where a new TZ applies at once in the main thread (not in worker
 * threads: the mutation run sets the zone beforehand); the renderer's types know no `process`.
 */
import { afterEach } from 'vitest';

/** Restores TZ after each test of the calling suite; answers the setter of the zone. */
export function zoneSetterForTests(): (zone: string) => void {
  const env = (globalThis as unknown as { process: { env: Record<string, string | undefined> } })
    .process.env;
  const machineZone = env.TZ;
  afterEach(() => {
    if (machineZone === undefined) delete env.TZ;
    else env.TZ = machineZone;
  });
  return (zone) => {
    env.TZ = zone;
  };
}
