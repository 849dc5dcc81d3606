import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// The CSP's connect-src: where the app may send requests (the EHR's FHIR and authorization servers).
// Default: any loopback port, where the sandbox EPJ runs. A deployment sets PHT_CONNECT_SRC.
const CONNECT_SRC = process.env.PHT_CONNECT_SRC ?? 'http://localhost:* http://127.0.0.1:* ws://localhost:*';
if (/['";]/.test(CONNECT_SRC)) throw new Error(`PHT_CONNECT_SRC may only hold origins separated by spaces: ${CONNECT_SRC}`);

function cspConnectSrc(): Plugin {
  return { name: 'pht-csp-connect-src', transformIndexHtml: (html) => html.replace('%PHT_CONNECT_SRC%', CONNECT_SRC) };
}

// The app is a static SPA. Port and sandbox URL are configurable (README "Konfigurasjon").
export default defineConfig({
  plugins: [react(), cspConnectSrc()],
  server: { port: Number(process.env.PHT_APP_PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PHT_APP_PORT ?? 5173), strictPort: true },
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
