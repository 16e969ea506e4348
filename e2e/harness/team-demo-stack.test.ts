/**
 * `npm run team-demo`'s start-up pieces (not its windows): PostgreSQL, the Oceane simulator,
 * the mock DataMiner process and two consoles in team mode come up and answer, and stop()
 * ends each of them and removes their folders.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startTeamDemo, type TeamDemo } from './team-demo-stack.js';
import { hasDisplay, parseTeamDemoArgs } from './team-demo.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function answers(url: string): Promise<number | string> {
  try {
    const res = await fetch(url);
    await res.arrayBuffer();
    return res.status;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function queryOne(demo: TeamDemo): Promise<unknown> {
  const url = new URL(demo.postgresUrl);
  const client = new pg.Client({
    host: url.hostname,
    port: Number(url.port),
    user: url.username,
    database: url.pathname.slice(1),
    password: demo.postgres.password,
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one;
  } finally {
    await client.end();
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the team demo', () => {
  it('starts PostgreSQL, Oceane, the DataMiner process and two team consoles, and stops them all', async () => {
    const renderer = await mkdtemp(path.join(tmpdir(), 'oceane-demo-renderer-'));
    cleanup.push(() => rm(renderer, { recursive: true, force: true }));
    await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>team demo</title>');
    const demo = await startTeamDemo({ alarms: 12, rate: 0, rendererDir: renderer });
    cleanup.push(() => demo.stop());

    expect(await queryOne(demo)).toBe(1);
    expect(demo.postgresUrl).not.toContain(demo.postgres.password);
    expect(await answers(`${demo.sim.url}/tmf-api/troubleTicket/v5/troubleTicket`)).toBe(401);
    expect(alive(demo.dataMiner.pid)).toBe(true);
    expect(demo.consoles.map((c) => c.name)).toEqual(['Console A', 'Console B']);
    expect(new Set(demo.consoles.map((c) => c.url)).size).toBe(2);
    for (const c of demo.consoles) {
      expect(await answers(c.url)).toBe(200);
      // The alarms come from the DataMiner process, and the console is in the team.
      const alarms = await c.services.router.handle('alarms:list', undefined);
      expect(alarms.ok && (alarms.value as unknown[]).length).toBe(12);
      const team = await c.services.router.handle('team:get', undefined);
      expect(team.ok && (team.value as { teamMode: boolean }).teamMode).toBe(true);
      expect(c.services.team?.consoleName).toBe(c.name);
      const settings = await c.services.router.handle('console-settings:get', undefined);
      expect(settings.ok && (settings.value as { operatorName: string }).operatorName).toBe(c.name);
    }

    await demo.stop();
    await expect(queryOne(demo)).rejects.toThrow();
    expect(await answers(demo.sim.url)).toEqual(expect.any(String));
    expect(alive(demo.dataMiner.pid)).toBe(false);
    for (const c of demo.consoles) expect(await answers(c.url)).toEqual(expect.any(String));
    expect(existsSync(demo.dir)).toBe(false);
    expect(existsSync(demo.postgres.dataDir)).toBe(false);
    await demo.stop();
  }, 120_000);
});

describe('the team demo command line', () => {
  it('reads its options and refuses what it does not know', () => {
    expect(parseTeamDemoArgs([])).toEqual({
      kind: 'run',
      args: { alarms: 200, rate: 1, createDelayMs: 0, headless: false },
    });
    expect(
      parseTeamDemoArgs([
        '--alarms',
        '50',
        '--rate',
        '0.5',
        '--create-delay-ms',
        '2000',
        '--headless',
      ]),
    ).toEqual({
      kind: 'run',
      args: { alarms: 50, rate: 0.5, createDelayMs: 2000, headless: true },
    });
    expect(parseTeamDemoArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseTeamDemoArgs(['--alarms', 'many'])).toEqual({
      kind: 'error',
      message: '--alarms needs a number >= 0',
    });
    expect(parseTeamDemoArgs(['--alarms'])).toEqual({
      kind: 'error',
      message: '--alarms needs a number >= 0',
    });
    expect(parseTeamDemoArgs(['--windows'])).toEqual({
      kind: 'error',
      message: 'unknown option --windows',
    });
  });

  it('shows windows only where a display exists', () => {
    expect(hasDisplay({})).toBe(false);
    expect(hasDisplay({ DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDisplay({ DISPLAY: '' })).toBe(false);
  });
});
