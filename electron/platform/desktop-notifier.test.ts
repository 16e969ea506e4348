import { describe, expect, it } from 'vitest';
import type { Logger } from '../connector/ports.js';
import { createDesktopNotifier, type NotificationLike } from './desktop-notifier.js';

/** A fake of Electron's Notification class that records what was shown. */
function fakeNotificationClass(supported: boolean) {
  const shown: FakeNotification[] = [];
  class FakeNotification implements NotificationLike {
    readonly listeners = new Map<string, () => void>();
    constructor(readonly options: { title: string; body: string }) {}
    static isSupported(): boolean {
      return supported;
    }
    show(): void {
      shown.push(this);
    }
    on(event: 'click' | 'close', listener: () => void): this {
      this.listeners.set(event, listener);
      return this;
    }
  }
  return { FakeNotification, shown };
}

function logger(warnings: string[]): Logger {
  return { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
}

describe('the desktop notifier', () => {
  it("shows the notification through Electron's Notification and focuses the app on click", () => {
    const { FakeNotification, shown } = fakeNotificationClass(true);
    let focused = 0;
    const notifier = createDesktopNotifier({
      Notification: FakeNotification,
      logger: logger([]),
      onClick: () => focused++,
    });
    notifier.show({ title: 'Oceane is unreachable', body: 'connection refused' });
    expect(shown.map((n) => n.options)).toEqual([
      { title: 'Oceane is unreachable', body: 'connection refused' },
    ]);
    shown[0]!.listeners.get('click')!();
    expect(focused).toBe(1);
  });

  it('shows nothing, and says so once, where the desktop has no notifications', () => {
    const { FakeNotification, shown } = fakeNotificationClass(false);
    const warnings: string[] = [];
    const notifier = createDesktopNotifier({
      Notification: FakeNotification,
      logger: logger(warnings),
    });
    notifier.show({ title: 'a', body: 'b' });
    notifier.show({ title: 'c', body: 'd' });
    expect(shown).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});
