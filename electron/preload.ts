/**
 * The preload of the one window: exposes `window.oceane`, the typed renderer API of the
 * contract (shared/ipc-contract.ts) over Electron IPC, and nothing else (checklist item 20:
 * no `ipcRenderer`, no generic invoke). Bundled by electron-vite into one CommonJS file,
 * out/preload/preload.cjs, because a sandboxed preload can neither load ES modules nor
 * require other files.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createRendererApi } from '../shared/ipc-contract.js';
import { createIpcTransport } from './platform/ipc-transport.js';

contextBridge.exposeInMainWorld('oceane', createRendererApi(createIpcTransport(ipcRenderer)));
