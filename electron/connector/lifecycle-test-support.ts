/**
 * Shared set-up of the section 7 client tests: the real simulator on 127.0.0.1 port 0, and
 * the create client and the lifecycle client over one token client, without a connector.
 */
import {
  DEMO_CREDENTIALS,
  startSimulator,
  type RunningSimulator,
} from '../oceane-simulator/index.js';
import { OceaneClient, type CallConfig } from './oceane-client.js';
import { OceaneLifecycleClient } from './oceane-lifecycle-client.js';
import { silentLogger, systemClock } from './ports.js';
import { ticketRequest } from './test-support.js';
import { TokenClient } from './token-client.js';

/** A simulator and the clients that speak to it. */
export interface ClientRig {
  sim: RunningSimulator;
  client: OceaneClient;
  life: OceaneLifecycleClient;
  config: CallConfig;
  /** Creates `count` tickets of new alarms; their ids, in order. */
  createTickets(count: number): Promise<string[]>;
}

/** Starts a simulator and the clients; close with `rig.sim.close()`. */
export async function startClientRig(): Promise<ClientRig> {
  const sim = await startSimulator();
  const config: CallConfig = {
    baseUrl: sim.url,
    userId: DEMO_CREDENTIALS.userId,
    timeoutMs: 2000,
  };
  const tokens = new TokenClient({
    config: () => ({
      baseUrl: sim.url,
      clientId: DEMO_CREDENTIALS.clientId,
      clientSecret: DEMO_CREDENTIALS.clientSecret,
      timeoutMs: 2000,
    }),
    clock: systemClock,
    logger: silentLogger,
  });
  const client = new OceaneClient(tokens, systemClock);
  return {
    sim,
    client,
    life: new OceaneLifecycleClient(client),
    config,
    async createTickets(count) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 1) {
        const result = await client.createTicket(config, ticketRequest(), `inst-${i}`);
        if (!result.ok) throw new Error(result.error.message);
        ids.push(result.ticketId);
      }
      return ids;
    },
  };
}
