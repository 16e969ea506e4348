/**
 * A stand-in `electron` module for running the built `out/main/main.js` under plain Node (no
 * Electron binary here): enough of `app`, `BrowserWindow`, `ipcMain`, `dialog`, `safeStorage`
 * and friends for the start-up, a few IPC requests and the quit. The main-bundle test writes
 * these files into a temporary folder and routes `import 'electron'` to the stand-in with a
 * module hook; what the stand-in saw is printed as one JSON line.
 */

/** The stand-in module (ESM). */
export const ELECTRON_STUB = `
import { EventEmitter } from 'node:events';
export const seen = { windows: [], loaded: [], errorBoxes: [], shown: [] };
class App extends EventEmitter {
  isPackaged = false;
  setPath() {}
  getPath() { return process.env.OCEANE_DATA_DIR; }
  getVersion() { return '0.0.0-smoke'; }
  getName() { return 'oceane-smoke'; }
  enableSandbox() { seen.sandbox = true; }
  requestSingleInstanceLock() { return true; }
  whenReady() { return Promise.resolve(); }
  isReady() { return true; }
  quit() {
    const event = { prevented: false, preventDefault() { this.prevented = true; } };
    this.emit('before-quit', event);
    if (!event.prevented) seen.quit = true;
  }
  exit(code) { seen.exit = code; }
}
export const app = new App();
class WebContents extends EventEmitter {
  id = 1;
  mainFrame = { url: 'app://oceane/index.html', processId: 1, routingId: 1, parent: null };
  isDestroyed() { return false; }
  send() {}
  setWindowOpenHandler() {}
  reload() {}
}
export class BrowserWindow extends EventEmitter {
  constructor(options) { super(); seen.windows.push(options); this.webContents = new WebContents(); }
  loadURL(url) { seen.loaded.push(url); return Promise.resolve(); }
  isDestroyed() { return false; }
}
export const handlers = new Map();
export const ipcMain = {
  handle(channel, listener) { handlers.set(channel, listener); },
  removeHandler(channel) { handlers.delete(channel); },
  on() {},
};
export const dialog = {
  showErrorBox(title, message) { seen.errorBoxes.push(title + ': ' + message); },
  showMessageBox: async () => ({ response: 1 }),
};
export const Menu = { setApplicationMenu() {} };
export const protocol = { registerSchemesAsPrivileged() {}, handle() {} };
export const safeStorage = {
  isAsyncEncryptionAvailable: async () => true,
  encryptStringAsync: async (text) => Buffer.from('enc:' + text),
  decryptStringAsync: async (buffer) => ({ result: buffer.toString().slice(4), shouldReEncrypt: false }),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};
const webRequest = { onHeadersReceived() {} };
export const session = {
  // Oceane's own session (electron-fetch.ts): Node's fetch stands in for net.fetch.
  fromPartition: () => ({ fetch: (input, init) => fetch(input, init), setCertificateVerifyProc() {} }),
  defaultSession: {
    setPermissionRequestHandler() {}, setPermissionCheckHandler() {}, setDevicePermissionHandler() {}, webRequest,
    on() {},
  },
};
export const shell = { openExternal: async () => {}, showItemInFolder: (file) => seen.shown.push(file) };
export class Notification extends EventEmitter {
  static isSupported() { return false; }
  show() {}
}
export default { app, BrowserWindow, ipcMain, dialog, Menu, Notification, protocol, safeStorage, session, shell };
`;

/** The module hook: `electron` resolves to the stand-in. */
export const HOOKS = `
export async function resolve(specifier, context, next) {
  if (specifier === 'electron') {
    return { url: new URL('./electron-stub.mjs', import.meta.url).href, shortCircuit: true };
  }
  return next(specifier, context);
}
`;

/** Registers the hook (`node --import ./register.mjs`). */
export const REGISTER = `
import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
`;

/** Starts main.js, waits for the services, asks three channels, quits, prints what it saw. */
export const DRIVE = `
const { app, handlers, seen } = await import('electron');
await import(process.env.MAIN_JS);
const frame = { url: 'app://oceane/index.html', processId: 1, routingId: 1, parent: null };
const event = { sender: { id: 1 }, senderFrame: frame };
const ask = (channel) => handlers.get('oceane:' + channel)(event, undefined);
const info = await ask('app:info');
const settings = await ask('settings:get');
const show = await ask('shell:show-hyperlinks-file');
app.quit();
for (let i = 0; i < 100 && !seen.quit; i++) await new Promise((r) => setTimeout(r, 50));
console.log(JSON.stringify({ seen, info, settings, show, handlersLeft: handlers.size }));
process.exit(0);
`;
