/// <reference types="svelte" />
/// <reference types="vite/client" />
import type { AppApiBridge } from '../../shared/app-api';

declare global {
  interface Window {
    /** Present in the Electron app (preload bridge); absent in the browser host. */
    readonly feedgate?: AppApiBridge;
  }
}
