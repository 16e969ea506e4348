/**
 * The Electron side of the desktop alerts (electron/health/desktop-alerts.ts): Electron's
 * main-process `Notification`, passed in by main.ts so that this adapter is tested with a
 * fake. Shown notifications are kept referenced until closed or clicked (a collected one
 * loses its click handler); a click brings the window to the front.
 */
import type { Logger } from '../connector/ports.js';
import type { DesktopNotifierPort } from '../health/desktop-alerts.js';

/** The part of an Electron `Notification` instance the adapter uses. */
export interface NotificationLike {
  show(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}

/** The part of Electron's `Notification` class the adapter uses. */
export interface NotificationClass {
  new (options: { title: string; body: string; silent?: boolean }): NotificationLike;
  isSupported(): boolean;
}

/** What the adapter needs. */
export interface DesktopNotifierOptions {
  Notification: NotificationClass;
  logger: Logger;
  /** Called when the operator clicks a notification (main.ts focuses the window). */
  onClick?: () => void;
}

/** Builds the port over Electron's `Notification`; a no-op where the desktop has none. */
export function createDesktopNotifier(options: DesktopNotifierOptions): DesktopNotifierPort {
  const { Notification, logger } = options;
  const alive = new Set<NotificationLike>();
  let warned = false;
  return {
    show({ title, body }) {
      if (!Notification.isSupported()) {
        if (!warned) logger.warn('Desktop notifications are not supported on this desktop');
        warned = true;
        return;
      }
      const notification = new Notification({ title, body });
      alive.add(notification);
      notification.on('close', () => alive.delete(notification));
      notification.on('click', () => {
        alive.delete(notification);
        options.onClick?.();
      });
      notification.show();
    },
  };
}
