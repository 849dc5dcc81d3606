import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The app is a static SPA. Port and sandbox URL are configurable (README "Konfigurasjon").
export default defineConfig({
  plugins: [react()],
  server: { port: Number(process.env.PHT_APP_PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PHT_APP_PORT ?? 5173), strictPort: true },
  build: { sourcemap: false, target: 'es2022' },
});
