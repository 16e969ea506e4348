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
import { ConsoleSettingsStore, defaultConsoleSettings } from './console-settings.js';
import type { MockDataMiner } from './mock-dataminer.js';

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

/** Opens the console settings and binds the operator actions to the mock DataMiner. */
export async function openConsoleServices(
  dataDir: string,
  alarms: MockDataMiner,
): Promise<ConsoleServices> {
  const settings = await ConsoleSettingsStore.open(dataDir, defaultConsoleSettings(loginName()));
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
