/**
 * The Oceane simulator in a process of its own, for the soak run: Oceane is another machine for
 * the console, so its memory (every ticket it keeps, its log of requests) must not count in the
 * services' RSS that the soak measures. Started through its command line (`--port 0`), faults
 * injected through its control route, stopped with SIGTERM.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { SimulatorFault, SimulatorRoute } from '../electron/oceane-simulator/types.js';

/** The simulator running in a child process. */
export interface SimulatorProcess {
  url: string;
  /** Queues a fault for the next `times` calls of `route` (POST /__simulator/faults). */
  inject(route: SimulatorRoute, fault: SimulatorFault, times?: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts the simulator's command line from `root` and waits until it listens. */
export async function startSimulatorProcess(root: string): Promise<SimulatorProcess> {
  const child = spawn(
    path.join(root, 'node_modules/.bin/tsx'),
    ['electron/oceane-simulator/cli.ts', '--port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const check = setInterval(() => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearInterval(check);
        resolve(match[1]);
      }
    }, 50);
    void exited.then(() => {
      clearInterval(check);
      reject(new Error(`The simulator stopped before listening:\n${output}`));
    });
  });
  return {
    url,
    async inject(route, fault, times = 1) {
      const answer = await fetch(`${url}/__simulator/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ route, fault, times }),
      });
      if (!answer.ok) throw new Error(`The simulator refused the fault: HTTP ${answer.status}`);
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
