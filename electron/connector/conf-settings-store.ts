/**
 * The settings store over `conf` (electron-store is `conf` plus Electron paths, so the app's
 * adapter mirrors this one). A damaged file makes `read()` throw; `setAside()` then moves it
 * to `<file>.broken-<time stamp>` so that the defaults can be written in its place.
 */
import Conf from 'conf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { moveAside } from '../storage/move-aside.js';
import type { SettingsStorePort } from './ports.js';

/** A SettingsStorePort that keeps the document in `<cwd>/<configName>.json`. */
export class ConfSettingsStore implements SettingsStorePort {
  /** The settings file. */
  readonly file: string;
  private conf: Conf<Record<string, unknown>> | null = null;

  constructor(
    private readonly cwd: string,
    private readonly configName = 'settings',
  ) {
    this.file = path.join(cwd, `${configName}.json`);
  }

  private open(): Conf<Record<string, unknown>> {
    // Conf reads and parses the file in its constructor: a damaged file throws here.
    this.conf ??= new Conf<Record<string, unknown>>({
      cwd: this.cwd,
      configName: this.configName,
      clearInvalidConfig: false,
    });
    return this.conf;
  }

  /** The stored document; throws when the file cannot be read or parsed. */
  read(): Record<string, unknown> {
    return { ...this.open().store };
  }

  /** Replaces the stored document (conf writes atomically). */
  write(value: Record<string, unknown>): void {
    this.open().store = value;
  }

  /** Moves the file aside and returns where it went (null when there is no file). */
  setAside(): string | null {
    this.conf = null;
    if (!fs.existsSync(this.file)) return null;
    return moveAside(this.file);
  }
}

/** Where the settings file lives. */
export interface ConfSettingsStoreOptions {
  /** Folder of the file. */
  cwd: string;
  /** File name without extension; default `settings`. */
  configName?: string;
}

/** A SettingsStorePort that keeps the document in `<cwd>/<configName>.json`. */
export function createConfSettingsStore(options: ConfSettingsStoreOptions): ConfSettingsStore {
  return new ConfSettingsStore(options.cwd, options.configName);
}
