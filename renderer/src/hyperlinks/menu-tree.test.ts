import { describe, expect, it } from 'vitest';
import type { MenuItem } from '../../../shared/domain.js';
import { menuTree } from './menu-tree.js';

const item = (id: string, menu: string[]): MenuItem => ({
  id,
  name: `Item ${id}`,
  kind: 'url',
  tooltip: '',
  url: `https://x.example/${id}`,
  params: {},
  error: null,
  menu,
  alarmColumn: false,
  confirm: false,
  closeWhenFinished: true,
});

describe('menuTree', () => {
  it('keeps root items at the top and nests the others by their menu path, in file order', () => {
    const tree = menuTree([
      item('1', []),
      item('2', ['Tickets', 'Oceane']),
      item('3', ['Tools']),
      item('4', ['Tickets']),
      item('5', ['Tickets', 'Oceane']),
    ]);
    const shape = (nodes: typeof tree): unknown =>
      nodes.map((n) => (n.kind === 'item' ? n.item.id : { [n.name]: shape(n.children) }));
    expect(shape(tree)).toEqual([
      '1',
      { Tickets: [{ Oceane: ['2', '5'] }, '4'] },
      { Tools: ['3'] },
    ]);
  });

  it('gives a flat menu for items without a submenu', () => {
    expect(menuTree([item('1', []), item('2', [])]).map((n) => n.kind)).toEqual(['item', 'item']);
  });
});
