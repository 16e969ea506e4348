/** The renderer's one store, composed from the typed slices. */
import { create } from 'zustand';
import {
  createAlarmsSlice,
  createFailedSlice,
  createNoticesSlice,
  createQueueSlice,
  createSettingsSlice,
  createTicketsSlice,
  createUiSlice,
} from './slices.js';
import { createConsoleSlice } from './console-slice.js';
import type { AppState } from './store-types.js';

/** The store hook; select one value at a time (or use `useShallow`). */
export const useAppStore = create<AppState>()((...a) => ({
  ...createAlarmsSlice(...a),
  ...createTicketsSlice(...a),
  ...createFailedSlice(...a),
  ...createQueueSlice(...a),
  ...createSettingsSlice(...a),
  ...createNoticesSlice(...a),
  ...createUiSlice(...a),
  ...createConsoleSlice(...a),
}));
