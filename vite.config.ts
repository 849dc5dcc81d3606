import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The browser talks only to the app server (server/, issue 14), so the built CSP allows 'self' only.
// `npm run dev` runs Vite's dev server in front of the app server (scripts/start.ts --dev): it proxies
// the server's routes, and its CSP additionally allows Vite's injected <style> elements and the HMR
// websocket, in dev only.
const APP_SERVER = process.env.PHT_APP_SERVER_URL ?? 'http://localhost:5174';
const SERVER_ROUTES = ['/api', '/fhir', '/launch', '/auth', '/avsluttet', '/server-pages.css', '/.well-known'];

function csp(): Plugin {
  let dev = false;
  return {
    name: 'pht-csp',
    configResolved: (config) => void (dev = config.command === 'serve'),
    transformIndexHtml: (html) =>
      html.replace('%PHT_DEV_STYLE_SRC%', dev ? " 'unsafe-inline'" : '').replace('%PHT_DEV_CONNECT_SRC%', dev ? ' ws://localhost:*' : ''),
  };
}

export default defineConfig({
  plugins: [react(), csp()],
  server: {
    port: Number(process.env.PHT_APP_PORT ?? 5173),
    strictPort: true,
    proxy: Object.fromEntries(SERVER_ROUTES.map((route) => [route, { target: APP_SERVER, changeOrigin: false, xfwd: true }])),
  },
  build: {
    sourcemap: false, // no source maps are shipped (reliability issue, point 6)
    target: 'es2022',
    rolldownOptions: {
      // @digdir/designsystemet-react declares no `sideEffects`, so without this its whole component set
      // (Combobox, floating-ui, ...) lands in the initial chunk: 159 kB gz instead of about 95 kB gz.
      treeshake: { moduleSideEffects: (id: string) => !/@digdir\/designsystemet-react\//.test(id) },
    },
  },
});
