// Preload (sandboxed, CommonJS): the renderer's only window onto the back end.
// For now it exposes the product version; a later issue replaces this with the typed AppApi
// from src/shared/app-api (channel names and schemas shared by both sides).
import { contextBridge } from 'electron';
import { APP_VERSION, type FeedgateBridge } from '../shared/app-info';

const feedgate: FeedgateBridge = Object.freeze({ version: APP_VERSION });

contextBridge.exposeInMainWorld('feedgate', feedgate);
