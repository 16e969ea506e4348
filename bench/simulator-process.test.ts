/**
 * The soak's simulator in a process of its own: it starts and listens, takes a fault through
 * its control route (and refuses one it does not know), and stops when closed.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorRoute } from '../electron/oceane-simulator/types.js';
import { startSimulatorProcess } from './simulator-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');

describe('the simulator process', () => {
  it('listens, takes faults over HTTP, refuses an unknown route, and stops', async () => {
    const sim = await startSimulatorProcess(ROOT);
    try {
      expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      await sim.inject('create', { kind: 'status', status: 400, code: 24 });
      await expect(
        sim.inject('nowhere' as SimulatorRoute, { kind: 'status', status: 400 }),
      ).rejects.toThrow(/The simulator refused the fault: HTTP 4\d\d/);
    } finally {
      await sim.close();
    }
    await expect(fetch(`${sim.url}/__simulator/ledger`)).rejects.toThrow();
  });
});
