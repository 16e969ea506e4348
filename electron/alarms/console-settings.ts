/**
 * The alarm console's own settings (the operator's name, the Create Ticket defaults, how long
 * cleared alarms stay), kept in their own small file in the data folder, replaced atomically.
 * Separate from the connector's settings so that neither can overwrite the other.
 */
import * as path from 'node:path';
import type { ConsoleSettings, ConsoleSettingsUpdate } from '../../shared/domain.js';
import { fieldErrors, isRecord } from '../../shared/guards.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { consoleSettingsSchema, consoleSettingsUpdateSchema } from '../../shared/schemas.js';
import { AtomicJsonFile } from './atomic-json-file.js';

/** File name of the console settings inside the data folder. */
export const CONSOLE_SETTINGS_FILE = 'console-settings.json';

/** The defaults: Technical Impact follows the alarm's severity one to one. */
export function defaultConsoleSettings(operatorName: string): ConsoleSettings {
  return {
    operatorName: operatorName.trim().slice(0, 100) || 'Operator',
    defaultPriority: 'Medium',
    defaultUrgency: 'Medium',
    impactBySeverity: {
      Critical: 'Critical',
      Major: 'Major',
      Minor: 'Minor',
      Warning: 'Warning',
      Normal: 'Warning',
    },
    clearedVisibleSeconds: 60,
    connectorAlarmMinutes: 5,
    dataMinerUrl: '',
  };
}

/** The console settings, read once and written through on every change. */
export class ConsoleSettingsStore {
  private constructor(
    private readonly file: AtomicJsonFile,
    private current: ConsoleSettings,
    /** Set when the file was damaged and moved aside on open (where it went). */
    readonly recovery: string | null,
  ) {}

  /** Reads the file; what is missing or invalid in it takes its default. */
  static async open(dataDir: string, defaults: ConsoleSettings): Promise<ConsoleSettingsStore> {
    const file = new AtomicJsonFile(path.join(dataDir, CONSOLE_SETTINGS_FILE));
    const read = await file.read();
    let current = defaults;
    let recovery: string | null = read.kind === 'damaged' ? read.movedTo : null;
    if (read.kind === 'value') {
      const parsed = consoleSettingsSchema.safeParse({
        ...defaults,
        ...(isRecord(read.value) ? read.value : {}),
      });
      if (parsed.success) current = parsed.data;
      else recovery = await file.setAside();
    }
    return new ConsoleSettingsStore(file, current, recovery);
  }

  /** The settings now. */
  get(): ConsoleSettings {
    return this.current;
  }

  /** Checks and applies a change; resolves with the new settings once they are on disk. */
  async update(update: ConsoleSettingsUpdate): Promise<Result<ConsoleSettings>> {
    const checked = consoleSettingsUpdateSchema.safeParse(update);
    if (!checked.success) {
      return fail('validation', 'The settings were not saved.', fieldErrors(checked.error));
    }
    const next = consoleSettingsSchema.safeParse({ ...this.current, ...checked.data });
    if (!next.success) {
      return fail('validation', 'The settings were not saved.', fieldErrors(next.error));
    }
    try {
      await this.file.write(next.data);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail('storage', `The settings could not be saved: ${reason}`);
    }
    this.current = next.data;
    return ok(next.data);
  }
}
