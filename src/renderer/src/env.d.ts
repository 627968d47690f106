/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { FeedgateBridge } from '../../shared/app-info';

declare global {
  interface Window {
    /** Present in the Electron app (preload bridge); absent in the browser host. */
    readonly feedgate?: FeedgateBridge;
  }
}
