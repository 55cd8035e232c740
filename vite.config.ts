import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The studio is a static single-page app; the simulation runs in a module worker.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});
