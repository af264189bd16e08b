import { fileURLToPath } from 'node:url';
import optimizeLocales from '@react-aria/optimize-locales-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const contracts = fileURLToPath(new URL('../../packages/contracts/src/index.ts', import.meta.url));

export default defineConfig({
  plugins: [
    react(),
    // React Aria ships strings for ~35 locales; keep the ones Athenaeum speaks (it has none for Hindi).
    {
      ...optimizeLocales.vite({ locales: ['en-US', 'ru-RU', 'zh-CN', 'es-ES', 'ar-AE', 'pt-BR', 'fr-FR'] }),
      enforce: 'pre',
    },
  ],
  resolve: { alias: { '@athenaeum/contracts': contracts } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://localhost:8080', changeOrigin: false } },
  },
});
