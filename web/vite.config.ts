import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.DUTYLEDGER_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // The contracts package only declares schemas and constants; let unused zod schemas be dropped so that
      // zod does not ship to the browser (contracts' package.json lacks "sideEffects": false).
      treeshake: {
        moduleSideEffects: (id: string) => !/[\\/]contracts[\\/]src[\\/]/.test(id),
        manualPureFunctions: ['z', 'pageQuery', 'paged', 'roleKeys', 'unitTypes', 'postInput', 'person', 'newPassword', 'id'],
      },
    },
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
