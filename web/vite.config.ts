import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Served by the devnet node at /app (the L2 RPC port); assets under /app/assets are content-hashed.
export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1500 },
});
