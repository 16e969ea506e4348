/**
 * The alarm console's services beside the connector: the console settings and the operator
 * actions on the mock DataMiner's alarms, as the IPC router calls them. Kept apart from
 * app-services.ts so that composing them there is a couple of lines.
 */
import { userInfo } from 'node:os';
import type {
  AlarmAction,
  AlarmActionOutcome,
  ConsoleSettings,
  ConsoleSettingsUpdate,
} from '../../shared/domain.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { DataMinerPort } from '../dataminer/dataminer-port.js';
import { ConsoleSettingsStore, defaultConsoleSettings } from './console-settings.js';

/** What the router needs from the console: settings and operator actions. */
export interface ConsoleServices {
  actOnAlarms(action: AlarmAction): Promise<Result<AlarmActionOutcome>>;
  getConsoleSettings(): ConsoleSettings;
  updateConsoleSettings(update: ConsoleSettingsUpdate): Promise<Result<ConsoleSettings>>;
  /** Where a damaged console settings file was moved on open, or null. */
  recovery: string | null;
}

/** The login name of the user, the default operator name. */
function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

/** Opens the console settings (read before the DataMiner: they say which one to use). */
export function openConsoleSettings(dataDir: string): Promise<ConsoleSettingsStore> {
  return ConsoleSettingsStore.open(dataDir, defaultConsoleSettings(loginName()));
}

/** Opens the console settings and binds the operator actions to the DataMiner. */
export async function openConsoleServices(
  dataDir: string,
  alarms: DataMinerPort,
): Promise<ConsoleServices> {
  return bindConsoleServices(await openConsoleSettings(dataDir), alarms);
}

/** Binds the operator actions of opened console settings to the DataMiner. */
export function bindConsoleServices(
  settings: ConsoleSettingsStore,
  alarms: DataMinerPort,
): ConsoleServices {
  alarms.setClearedVisibleMs(settings.get().clearedVisibleSeconds * 1000);
  return {
    recovery: settings.recovery,
    getConsoleSettings: () => settings.get(),
    async updateConsoleSettings(update) {
      const result = await settings.update(update);
      if (result.ok) alarms.setClearedVisibleMs(result.value.clearedVisibleSeconds * 1000);
      return result;
    },
    async actOnAlarms(action) {
      try {
        const outcome = await alarms.act(
          action.keys,
          action.action,
          settings.get().operatorName,
          action.comment,
        );
        return ok(outcome);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return fail('storage', `The alarm state could not be saved: ${reason}`);
      }
    },
  };
}
