/**
 * The Team settings in the main process (issue 14): the PostgreSQL URL and TLS options in
 * their own file of the data folder (team-settings.json, replaced atomically), the password in
 * its own secret store (OS-encrypted like the Client Secret, never sent to the renderer, never
 * logged), and "Test connection". Empty URL = no team mode. A change is all or nothing, with a
 * sentence per field.
 */
import * as path from 'node:path';
import { fieldErrors, isRecord } from '../../shared/guards.js';
import { fail, ok, type Result } from '../../shared/result.js';
import {
  NO_TEAM,
  teamSettingsSchema,
  teamSettingsUpdateSchema,
  type TeamConnectionCheck,
  type TeamSettings,
  type TeamSettingsUpdate,
  type TeamSettingsView,
} from '../../shared/team-settings.js';
import { AtomicJsonFile } from '../alarms/atomic-json-file.js';
import type { Logger, SecretStorePort } from '../connector/ports.js';
import { checkPostgres } from './postgres-check.js';

/** File name of the Team settings inside the data folder. */
export const TEAM_SETTINGS_FILE = 'team-settings.json';

/** Cross-field rule: Verify CA needs its CA file. */
function crossFieldProblem(settings: TeamSettings): Record<string, string> | null {
  if (settings.tls === 'verify-ca' && settings.caFile === '') {
    return { caFile: 'Choose the CA certificate file (PEM) for Verify CA' };
  }
  return null;
}

export class TeamSettingsService {
  private constructor(
    private readonly file: AtomicJsonFile,
    private current: TeamSettings,
    private readonly password: SecretStorePort,
    private readonly logger: Logger,
    /** Where a damaged file was moved on open, or null. */
    readonly recovery: string | null,
  ) {}

  /** Reads the settings; a damaged file is kept aside and the console is not in a team. */
  static async open(
    dataDir: string,
    password: SecretStorePort,
    logger: Logger,
  ): Promise<TeamSettingsService> {
    const file = new AtomicJsonFile(path.join(dataDir, TEAM_SETTINGS_FILE));
    const read = await file.read();
    let current = NO_TEAM;
    let recovery = read.kind === 'damaged' ? read.movedTo : null;
    if (read.kind === 'value') {
      const parsed = teamSettingsSchema.safeParse({
        ...NO_TEAM,
        ...(isRecord(read.value) ? read.value : {}),
      });
      if (parsed.success) current = parsed.data;
      else recovery = await file.setAside();
    }
    return new TeamSettingsService(file, current, password, logger, recovery);
  }

  /** The settings as stored. */
  settings(): TeamSettings {
    return this.current;
  }

  /** The password, for the main process's own connections only. */
  passwordForConnection(): string | undefined {
    return this.password.get();
  }

  /** What the renderer may see. */
  view(): TeamSettingsView {
    return {
      settings: this.current,
      passwordSet: this.password.get() !== undefined,
      passwordStorage: this.password.status(),
      teamMode: this.current.postgresUrl !== '',
    };
  }

  /** Checks and applies a change; resolves once the settings are on disk. */
  async update(update: TeamSettingsUpdate): Promise<Result<TeamSettingsView>> {
    const merged = this.merge(update);
    if (!merged.ok) return merged;
    const { password, clearPassword, ...fields } = update;
    const changed = Object.keys(fields).length > 0;
    if (changed) {
      try {
        await this.file.write(merged.value);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return fail('storage', `The Team settings could not be saved: ${reason}`);
      }
      this.current = merged.value;
    }
    try {
      if (clearPassword) this.password.clear();
      else if (password !== undefined) this.password.set(password);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return fail('storage', `The PostgreSQL password could not be stored: ${reason}`);
    }
    this.logger.info('Team settings saved', {
      teamMode: this.current.postgresUrl !== '',
      tls: this.current.tls,
      passwordSet: this.password.get() !== undefined,
    });
    return ok(this.view());
  }

  /**
   * Connects with a draft (unsaved fields over the stored ones; the stored password unless
   * the draft has one) and reports the server version or why it failed.
   */
  async testConnection(draft: TeamSettingsUpdate): Promise<Result<TeamConnectionCheck>> {
    const merged = this.merge(draft, 'The connection was not tried.');
    if (!merged.ok) return merged;
    const password = draft.clearPassword ? undefined : (draft.password ?? this.password.get());
    const result = await checkPostgres(merged.value, password);
    if (result.ok) {
      this.logger.info('PostgreSQL connection test succeeded', { ...result.value });
    } else {
      this.logger.warn('PostgreSQL connection test failed', { reason: result.error.message });
    }
    return result;
  }

  private merge(
    update: TeamSettingsUpdate,
    refused = 'The Team settings were not saved.',
  ): Result<TeamSettings> {
    const checked = teamSettingsUpdateSchema.safeParse(update);
    if (!checked.success) {
      return fail('validation', refused, fieldErrors(checked.error));
    }
    const { postgresUrl, tls, caFile } = checked.data;
    const fields = { postgresUrl, tls, caFile };
    for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
      if (fields[key] === undefined) delete fields[key];
    }
    const next = teamSettingsSchema.safeParse({ ...this.current, ...fields });
    if (!next.success) {
      return fail('validation', refused, fieldErrors(next.error));
    }
    const cross = crossFieldProblem(next.data);
    if (cross) return fail('validation', refused, cross);
    return ok(next.data);
  }
}
