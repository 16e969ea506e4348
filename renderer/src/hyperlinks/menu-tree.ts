/**
 * The alarm menu as DataMiner shows it: hyperlinks with `menu="root"` at the top level, the
 * others in the submenu their `menu` path names (`Tickets/Oceane` is a submenu in a submenu).
 */
import type { MenuItem } from '../../../shared/domain.js';

/** One entry of a menu: a hyperlink, or a submenu holding more entries. */
export type MenuNode =
  { kind: 'item'; item: MenuItem } | { kind: 'submenu'; name: string; children: MenuNode[] };

/** Nests items by their `menu` path; submenus sit where their first item is, in file order. */
export function menuTree(items: readonly MenuItem[]): MenuNode[] {
  const root: MenuNode[] = [];
  for (const item of items) {
    let level = root;
    for (const name of item.menu) {
      let sub = level.find(
        (n): n is Extract<MenuNode, { kind: 'submenu' }> => n.kind === 'submenu' && n.name === name,
      );
      if (!sub) {
        sub = { kind: 'submenu', name, children: [] };
        level.push(sub);
      }
      level = sub.children;
    }
    level.push({ kind: 'item', item });
  }
  return root;
}
