import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.DUTYLEDGER_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // antd + React + React Router shared by every page is ~800 kB minified (~255 kB gzip); pages are lazy chunks
    chunkSizeWarningLimit: 900,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
