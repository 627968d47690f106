// Svelte compiler options for the renderer. electron-vite looks for a Svelte config in the
// renderer root, so electron.vite.config.ts passes this file's path to the plugin explicitly.
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/vite-plugin-svelte').SvelteConfig} */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    runes: true,
  },
};
