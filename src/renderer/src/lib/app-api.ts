// The page's one AppApi client (Electron or browser host, decided once at start).
import { connectAppApi } from './app-api-client';

export const appApi = connectAppApi(window);
