import { describe, expect, it } from 'vitest';
import { matchesFilter } from './filter-input.js';

describe('matchesFilter', () => {
  it('finds the needle in any of the texts whatever their case', () => {
    expect(matchesFilter(['T-1', 'NE-Paris-1', 'Major'], 'paris')).toBe(true);
    expect(matchesFilter(['T-1', 'NE-Paris-1', 'Major'], 'major')).toBe(true);
  });

  it('does not match a needle absent from every text', () => {
    expect(matchesFilter(['T-1', 'NE-Paris-1'], 'lyon')).toBe(false);
  });

  it('never matches across the end of one text and the start of the next', () => {
    expect(matchesFilter(['abc', 'def'], 'cd')).toBe(false);
    expect(matchesFilter(['abc', 'def'], 'bc')).toBe(true);
  });
});
