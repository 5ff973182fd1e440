/**
 * Sandboxed preload (bundled to CommonJS `out/preload/index.cjs`): exposes `window.pairdesk`,
 * which implements exactly PairDeskApi (`pathsForFiles` included). No ipcRenderer, no generic
 * send.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createPairDeskApi } from './api';

// Dropped files: `File.path` is gone from Electron; webUtils gives the path in the preload only.
contextBridge.exposeInMainWorld(
  'pairdesk',
  createPairDeskApi(ipcRenderer, (file) => webUtils.getPathForFile(file)),
);
