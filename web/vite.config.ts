import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  // The web imports the shared catalogs and i18n helpers from outside web/.
  server: { fs: { allow: [repoRoot] } },
});
