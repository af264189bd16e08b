import { fileURLToPath } from 'node:url';
import optimizeLocales from '@react-aria/optimize-locales-plugin';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const contracts = (file: string) => fileURLToPath(new URL(`../../packages/contracts/src/${file}`, import.meta.url));

export default defineConfig({
  plugins: [
    react(),
    // React Aria ships strings for ~35 locales; keep the ones Athenaeum speaks (it has none for Hindi).
    {
      ...optimizeLocales.vite({ locales: ['en-US', 'ru-RU', 'zh-CN', 'es-ES', 'ar-AE', 'pt-BR', 'fr-FR'] }),
      enforce: 'pre',
    },
  ],
  // The contracts from their sources (exact names: the vocabulary subpath has an entry of its own).
  resolve: {
    alias: [
      { find: /^@athenaeum\/contracts$/, replacement: contracts('index.ts') },
      { find: /^@athenaeum\/contracts\/vocabulary$/, replacement: contracts('vocabulary.ts') },
    ],
  },
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
