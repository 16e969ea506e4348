/**
 * The alarm's context menu, with the HyperLinks items main resolved for it. Its state lives in
 * the store's ui slice and only this component subscribes to it, so opening it never
 * re-renders the grid.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { HyperlinkMenuEntries } from '../hyperlinks/hyperlink-menu-entries.js';
import { runHyperlink } from '../hyperlinks/run-hyperlink.js';
import { useAppStore } from '../store/store.js';
import { AlarmStateMenuItems } from './alarm-state-menu-items.js';
import { AddNoteMenuItem } from './ticket-life-panels.js';

/** The open context menu, or nothing. */
export function AlarmContextMenu() {
  const menu = useAppStore((s) => s.menu);
  const closeMenu = useAppStore((s) => s.closeMenu);
  const ref = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const [pos, setPos] = useState<{ left: number; top: number } | null>(null);

  const isOpen = menu !== null;
  useEffect(() => {
    if (!isOpen) return;
    returnFocus.current = document.activeElement as HTMLElement | null;
    const onDown = (e: PointerEvent): void => {
      if (ref.current && !ref.current.contains(e.target as Node)) closeMenu();
    };
    const onBlur = (): void => closeMenu();
    document.addEventListener('pointerdown', onDown, true);
    window.addEventListener('blur', onBlur);
    window.addEventListener('resize', onBlur);
    return () => {
      document.removeEventListener('pointerdown', onDown, true);
      window.removeEventListener('blur', onBlur);
      window.removeEventListener('resize', onBlur);
      // Back to where the operator was, unless a dialog took focus.
      const back = returnFocus.current;
      if (back && !useAppStore.getState().dialog && back.isConnected) back.focus();
    };
  }, [isOpen, closeMenu]);

  // Keep the menu inside the window.
  useLayoutEffect(() => {
    if (!menu || !ref.current) {
      setPos(null);
      return;
    }
    const box = ref.current.getBoundingClientRect();
    setPos({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - box.width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - box.height - 4)),
    });
  }, [menu]);

  const ready = menu?.items != null;
  useEffect(() => {
    if (ready) ref.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    else if (isOpen) ref.current?.focus();
  }, [ready, isOpen]);

  if (!menu) return null;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number): void => items[(i + items.length) % items.length]?.focus();
    switch (e.key) {
      case 'Escape':
        e.preventDefault();
        e.stopPropagation();
        closeMenu();
        break;
      case 'Tab':
        e.preventDefault();
        closeMenu();
        break;
      case 'ArrowDown':
        e.preventDefault();
        focus(at + 1);
        break;
      case 'ArrowUp':
        e.preventDefault();
        focus(at - 1);
        break;
      case 'Home':
        e.preventDefault();
        focus(0);
        break;
      case 'End':
        e.preventDefault();
        focus(items.length - 1);
        break;
    }
  };

  const entry = useAppStore.getState().alarmIndex.get(menu.alarmKey);
  const label = entry
    ? `Actions for ${entry.alarm.elementName} alarm ${entry.alarm.alarmId}`
    : 'Alarm actions';

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      aria-busy={menu.items === null}
      tabIndex={-1}
      className="context-menu"
      style={{ left: pos?.left ?? menu.x, top: pos?.top ?? menu.y }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      <AlarmStateMenuItems alarmKey={menu.alarmKey} />
      {entry?.ticketId ? (
        <AddNoteMenuItem ticketId={entry.ticketId} what={entry.alarm.elementName} />
      ) : null}
      {menu.items === null ? <div className="menu-note">Loading…</div> : null}
      {menu.error ? <div className="menu-note menu-error">{menu.error}</div> : null}
      {menu.items?.length === 0 && !menu.error ? (
        <div className="menu-note">No actions for this alarm</div>
      ) : null}
      {menu.items ? (
        <HyperlinkMenuEntries
          items={menu.items}
          onRun={(item) => runHyperlink(item, menu.alarmKey)}
        />
      ) : null}
    </div>
  );
}
