import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// `npm run dev` proxies the API (same paths the built SPA uses when the service serves it).
const api = `http://127.0.0.1:${process.env.API_PORT ?? process.env.PORT ?? '3000'}`;

export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: { '/api': { target: api, changeOrigin: false }, '/cron': api, '/health': api },
  },
  build: { chunkSizeWarningLimit: 1500 },
  test: { environment: 'happy-dom', include: ['**/*.spec.ts'] },
} as Parameters<typeof defineConfig>[0]);
