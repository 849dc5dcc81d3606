import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is a static SPA. Port and sandbox URL are configurable (README "Konfigurasjon").
export default defineConfig({
  plugins: [react()],
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
