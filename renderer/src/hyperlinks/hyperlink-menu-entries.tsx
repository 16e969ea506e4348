/**
 * The HyperLinks.xml entries of the alarm context menu, with their submenus: a submenu opens
 * on hover, click, Enter or ArrowRight, and closes on ArrowLeft or Escape (back to its entry).
 */
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { MenuItem } from '../../../shared/domain.js';
import { menuTree, type MenuNode } from './menu-tree.js';

type Run = (item: MenuItem) => void;

function ItemButton({ item, onRun }: { item: MenuItem; onRun: Run }) {
  return (
    <button
      type="button"
      role="menuitem"
      tabIndex={-1}
      className={`menu-item${item.error ? ' has-error' : ''}`}
      title={item.error ?? item.tooltip}
      onClick={() => onRun(item)}
    >
      {item.name}
    </button>
  );
}

const ownItems = (menu: HTMLElement | null): HTMLElement[] =>
  Array.from(
    menu?.querySelectorAll<HTMLElement>(
      ':scope > [role="menuitem"], :scope > .submenu > [role="menuitem"]',
    ) ?? [],
  );

function Submenu({ name, nodes, onRun }: { name: string; nodes: MenuNode[]; onRun: Run }) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const openAndFocus = (): void => {
    setOpen(true);
    requestAnimationFrame(() => ownItems(panel.current)[0]?.focus());
  };
  const onTriggerKey = (e: KeyboardEvent<HTMLButtonElement>): void => {
    if (e.key === 'ArrowRight' || e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.stopPropagation();
      openAndFocus();
    }
  };
  const onPanelKey = (e: KeyboardEvent<HTMLDivElement>): void => {
    const items = ownItems(panel.current);
    const at = items.indexOf(document.activeElement as HTMLElement);
    const focus = (i: number): void => items[(i + items.length) % items.length]?.focus();
    const moves: Record<string, () => void> = {
      ArrowDown: () => focus(at + 1),
      ArrowUp: () => focus(at - 1),
      Home: () => focus(0),
      End: () => focus(items.length - 1),
      ArrowLeft: () => {
        setOpen(false);
        trigger.current?.focus();
      },
      Escape: () => {
        setOpen(false);
        trigger.current?.focus();
      },
    };
    const move = moves[e.key];
    if (!move) return;
    e.preventDefault();
    e.stopPropagation();
    move();
  };
  return (
    <div className="submenu" onMouseEnter={() => setOpen(true)} onMouseLeave={() => setOpen(false)}>
      <button
        ref={trigger}
        type="button"
        role="menuitem"
        tabIndex={-1}
        aria-haspopup="menu"
        aria-expanded={open}
        className="menu-item submenu-trigger"
        onClick={openAndFocus}
        onKeyDown={onTriggerKey}
      >
        {name}
        <span className="submenu-mark" aria-hidden="true">
          ▸
        </span>
      </button>
      {open ? (
        <div
          ref={panel}
          role="menu"
          aria-label={name}
          className="context-menu submenu-panel"
          onKeyDown={onPanelKey}
        >
          <Entries nodes={nodes} onRun={onRun} />
        </div>
      ) : null}
    </div>
  );
}

function Entries({ nodes, onRun }: { nodes: MenuNode[]; onRun: Run }) {
  return (
    <>
      {nodes.map((n) =>
        n.kind === 'item' ? (
          <ItemButton key={`i-${n.item.id}`} item={n.item} onRun={onRun} />
        ) : (
          <Submenu key={`m-${n.name}`} name={n.name} nodes={n.children} onRun={onRun} />
        ),
      )}
    </>
  );
}

/** The menu's hyperlink entries, nested by their HyperLinks.xml `menu` path. */
export function HyperlinkMenuEntries({ items, onRun }: { items: readonly MenuItem[]; onRun: Run }) {
  return <Entries nodes={menuTree(items)} onRun={onRun} />;
}
