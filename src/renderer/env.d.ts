/// <reference types="vite/client" />
import type { PairDeskApi } from '../core/contract/contract';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in a plain browser. */
    readonly pairdesk?: PairDeskApi;
  }
}

export {};
