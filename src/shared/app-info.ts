// Product identity shared by every layer (main, preload, renderer, host). The version has
// one source of truth: package.json, inlined at build time by the bundlers.
import { version } from '../../package.json';

export const APP_NAME = 'feedgate';
export const APP_VERSION: string = version;
export const APP_DESCRIPTION = 'Security policy for package feeds';
