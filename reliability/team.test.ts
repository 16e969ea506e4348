import { describe, expect, it } from 'vitest';
import { runTeamTest, teamLine } from './team-harness.js';

describe('team test, short form (the full one is npm run test:team)', () => {
  it('keeps one ticket per alarm across three consoles through kills, collisions and a PostgreSQL restart', async () => {
    const report = await runTeamTest({
      consoles: 3,
      requests: 30,
      collisions: 0.3,
      kills: 5,
      restartPostgres: true,
      seed: 20_261_202,
    });
    expect(report.problems).toEqual([]);
    expect(report.duplicates).toBe(0);
    expect(report.lost).toBe(0);
    expect(report.requested).toBe(30);
    expect(report.tickets).toBe(30);
    expect(report.kills).toBeGreaterThanOrEqual(5);
    expect(report.postgresRestarts).toBe(1);
    // Collisions happened, and at least one was refused by the database's claim.
    expect(report.collisions).toBeGreaterThan(0);
    expect(report.known).toBeGreaterThan(0);
    expect(teamLine(report)).toBe(
      `consoles: 3, kills: ${report.kills}, tickets: 30, duplicates: 0, lost: 0`,
    );
  }, 300_000);
});
