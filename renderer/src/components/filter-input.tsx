/**
 * The text filter of a list: the search box, the filter text with its deferred lower-cased
 * needle (typing stays responsive while the list filters), and the match of a row's texts.
 */
import { useDeferredValue, useState } from 'react';

/** Props of FilterInput. */
export interface FilterInputProps {
  /** The search box's accessible name, e.g. "Filter alarms". */
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** DOM id, for a shortcut that focuses the box. */
  id?: string;
}

/** The search box of a list's toolbar. */
export function FilterInput({ label, placeholder, value, onChange, id }: FilterInputProps) {
  return (
    <input
      id={id}
      type="search"
      className="filter-input"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** The filter text, its setter, and the needle to match with (trimmed, lower-cased, deferred). */
export function useFilterText(initial = ''): {
  filter: string;
  setFilter: (value: string) => void;
  needle: string;
} {
  const [filter, setFilter] = useState(initial);
  const needle = useDeferredValue(filter.trim().toLowerCase());
  return { filter, setFilter, needle };
}

/**
 * Whether a row's texts contain the needle (lower-cased), case-insensitively. A match never
 * spans two texts.
 */
export function matchesFilter(texts: readonly (string | number)[], needle: string): boolean {
  return texts.join('\u0001').toLowerCase().includes(needle);
}
