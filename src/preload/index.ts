/**
 * Sandboxed preload (bundled to CommonJS `out/preload/index.cjs`): exposes `window.pairdesk`,
 * which implements exactly PairDeskApi. No ipcRenderer, no generic send.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createPairDeskApi } from './api';

contextBridge.exposeInMainWorld('pairdesk', createPairDeskApi(ipcRenderer));
