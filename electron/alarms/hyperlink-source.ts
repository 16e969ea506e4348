/**
 * HyperLinks.xml as a live source of the alarm menu. It is read at start and watched: an edit
 * takes effect without a restart, and an edit that breaks the file keeps the previous menu
 * and says why. A file that cannot be used at start (missing, or not XML at all) gives the
 * built-in Create Ticket and Go To Ticket items. Every hyperlink left out is named in a notice
 * with the reason. No Electron import.
 */
import { promises as fsp, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import type { HyperLinkColumn, Notice } from '../../shared/domain.js';
import type { Logger } from '../connector/ports.js';
import { HyperLinkMenu } from './hyperlink-menu.js';
import type { SkippedHyperLink } from './hyperlink-read.js';

/** Quiet time after the last change event before the file is read again, ms. */
export const HYPERLINKS_SETTLE_MS = 200;

/** What the source needs from its host. */
export interface HyperLinkSourceOptions {
  file: string;
  logger: Logger;
  /** Watch the file for edits (the app: yes). */
  watch?: boolean;
  settleMs?: number;
  now?: () => number;
}

type Listener<T> = (value: T) => void;

/** The current menu of the alarm console, kept in step with HyperLinks.xml. */
export class HyperLinkSource {
  private current: HyperLinkMenu = HyperLinkMenu.builtIn();
  private lastText: string | null = null;
  private watcher: FSWatcher | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly noticeListeners = new Set<Listener<Notice>>();
  private readonly columnListeners = new Set<Listener<HyperLinkColumn[]>>();
  private reading: Promise<void> = Promise.resolve();
  /** Notices of the first read, for the app's start-up notices. */
  readonly startupNotices: Notice[] = [];

  private constructor(private readonly options: HyperLinkSourceOptions) {}

  /** Reads the file (falling back to the built-in items) and starts watching it. */
  static async open(options: HyperLinkSourceOptions): Promise<HyperLinkSource> {
    const source = new HyperLinkSource(options);
    await source.load(true);
    if (options.watch !== false) source.startWatching();
    return source;
  }

  /** The menu now in force. */
  get menu(): HyperLinkMenu {
    return this.current;
  }

  /** The hyperlinks shown as alarm console columns. */
  columns(): HyperLinkColumn[] {
    return this.current.columns();
  }

  /** Hears every notice after start (a reload, a broken edit, skipped hyperlinks). */
  onNotice(listener: Listener<Notice>): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** Hears the columns each time a reload changes the menu. */
  onColumnsChanged(listener: Listener<HyperLinkColumn[]>): () => void {
    this.columnListeners.add(listener);
    return () => this.columnListeners.delete(listener);
  }

  /** Reads the file again now (what a change event does after the settle time). */
  reload(): Promise<void> {
    this.reading = this.reading.then(() => this.load(false));
    return this.reading;
  }

  /** Stops watching. */
  async close(): Promise<void> {
    this.watcher?.close();
    this.watcher = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.reading;
  }

  private startWatching(): void {
    const { file } = this.options;
    const base = path.basename(file);
    try {
      // The folder, not the file: editors often save by writing a new file and renaming it.
      this.watcher = watch(path.dirname(file), (_event, name) => {
        if (name !== null && name !== base) return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
          this.timer = null;
          void this.reload();
        }, this.options.settleMs ?? HYPERLINKS_SETTLE_MS);
      });
      this.watcher.on('error', (error) => {
        this.options.logger.warn('HyperLinks.xml is no longer watched', { error: error.message });
      });
    } catch (error) {
      this.options.logger.warn('HyperLinks.xml cannot be watched: edits need a restart', {
        error: (error as Error).message,
      });
    }
  }

  private async load(atStart: boolean): Promise<void> {
    const { file, logger } = this.options;
    const name = path.basename(file);
    let text: string;
    try {
      text = await fsp.readFile(file, 'utf8');
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'it does not exist'
          : (error as Error).message;
      if (atStart) {
        this.emit(
          'warning',
          `${name} not found`,
          `${file} cannot be read (${reason}); the built-in Create Ticket and Go To Ticket items are used.`,
          true,
        );
      } else if (this.lastText !== null) {
        logger.warn('HyperLinks.xml cannot be read; the previous menu stays', { reason });
      }
      return;
    }
    if (text === this.lastText) return;
    let menu: HyperLinkMenu;
    try {
      menu = HyperLinkMenu.parse(text);
    } catch (error) {
      const why = (error as Error).message;
      if (atStart) {
        this.emit(
          'error',
          `${name} is not usable`,
          `${why}. The built-in Create Ticket and Go To Ticket items are used until the file is fixed.`,
          true,
        );
      } else {
        this.emit(
          'error',
          `${name} edit not applied`,
          `${why}. The previous menu stays until the file is fixed.`,
          false,
        );
      }
      this.lastText = text;
      return;
    }
    const before = JSON.stringify(this.current.columns());
    this.current = menu;
    this.lastText = text;
    logger.info('HyperLinks.xml read', { file, skipped: menu.skipped.length });
    if (!atStart)
      this.emit('info', `${name} reloaded`, 'The alarm menu now follows the edited file.', false);
    if (menu.skipped.length > 0) {
      this.emit(
        'warning',
        `${menu.skipped.length} hyperlink${menu.skipped.length > 1 ? 's' : ''} skipped`,
        describeSkipped(name, menu.skipped),
        atStart,
      );
    }
    if (JSON.stringify(menu.columns()) !== before) {
      const columns = menu.columns();
      for (const listener of this.columnListeners) listener(columns);
    }
  }

  private emit(level: Notice['level'], title: string, message: string, atStart: boolean): void {
    const at = new Date(this.options.now?.() ?? Date.now()).toISOString();
    const notice: Notice = { id: `hyperlinks-${at}-${title}`, level, title, message, at };
    const log = level === 'info' ? 'info' : level === 'error' ? 'error' : 'warn';
    this.options.logger[log](`HyperLinks.xml: ${title}`, { message });
    if (atStart) this.startupNotices.push(notice);
    else for (const listener of this.noticeListeners) listener(notice);
  }
}

/** "HyperLinks.xml: hyperlink 3 ("Ping") was skipped: its filterElement ..." for each. */
export function describeSkipped(fileName: string, skipped: readonly SkippedHyperLink[]): string {
  const lines = skipped.map((s) => `${s.label}: ${s.reason}`);
  return `${fileName}: these hyperlinks are not in the menu. ${lines.join('; ')}.`;
}
