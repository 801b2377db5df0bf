import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/**
 * The trader's web blotter, built into static files that oms-ingest serves at `/` (dist/web: the
 * server's own build sits beside it, and the container image copies dist/ whole). `vite --config
 * web/vite.config.ts` serves it with live reload, the API proxied to a running `npm start`.
 */
export default defineConfig(({ mode }) => ({
  root: here('.'),
  // React's production build and JSX whatever NODE_ENV the caller runs with (vitest sets `test`).
  define: { 'process.env.NODE_ENV': JSON.stringify(mode === 'development' ? 'development' : 'production') },
  // React's automatic JSX runtime through Oxc, Vite's own transformer: no plugin needed for a build.
  oxc: { jsx: { runtime: 'automatic', development: mode === 'development' } },
  build: { outDir: here('../dist/web'), emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/actuator': 'http://127.0.0.1:8080' } },
}));
