/**
 * The notice a console shows when the team's DataMiner process cannot be reached, and again
 * when it is back: what happened and what the console does about it, in plain sentences.
 */
import type { Notice } from '../../shared/domain.js';
import type { DataMinerStatus } from './remote-dataminer.js';

/** The notice for a connection status (one id per state, so a repeat replaces the last). */
export function dataMinerNotice(status: DataMinerStatus): Notice {
  const at = new Date().toISOString();
  if (status.connected) {
    return {
      id: 'dataminer-connection',
      level: 'success',
      title: 'Connected to the DataMiner',
      message: `The alarms come from the DataMiner at ${status.url} again and are up to date.`,
      at,
    };
  }
  return {
    id: 'dataminer-connection',
    level: 'error',
    title: 'The DataMiner cannot be reached',
    message:
      status.problem ??
      `The DataMiner at ${status.url} cannot be reached; the console reconnects by itself.`,
    at,
  };
}
