import { defineConfig } from 'vite';

// The appliance to develop against (the dev server proxies /api, the stream included, and /metrics to it).
const target = process.env.GUI_API || 'http://10.254.0.2:8080';

export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: process.env.GUI_OUT_DIR || 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    modulePreload: { polyfill: false },
    // the budget (scripts/budget.mjs, gzip) is the gate; this only flags a jump in the one chunk (222 kB with alarms)
    chunkSizeWarningLimit: 260,
  },
  server: {
    proxy: {
      '/api': { target, ws: true, changeOrigin: false },
      '/metrics': { target },
    },
  },
  preview: {
    proxy: {
      '/api': { target, ws: true, changeOrigin: false },
      '/metrics': { target },
    },
  },
});
