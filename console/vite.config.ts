/**
 * The console's build (`npm run console:build`, and `npm start` when console/dist is missing or
 * older than its sources) and its development server (`npm run console:dev`, which forwards the
 * API and the local-only console endpoints to a running `npm start`).
 */
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run console:dev` finds the API: a running `npm start` (default port 3000). */
const target = process.env.LANDLINE_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Element Plus is one chunk of its own; its size is known and accepted.
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks: (id: string) => (id.includes('node_modules') ? 'vendor' : undefined),
      },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    // The console reads a few pure modules of shared/domain (labels, reminder times) and the gazetteer.
    fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
    proxy: {
      '/v1': target,
      '/console/config.json': target,
      '/console/dev-principals': target,
    },
  },
});
