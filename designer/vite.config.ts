/**
 * Builds the designer into designer/dist, which the server serves at `/`. In development
 * (`npx vite designer`) API and socket.io calls go to the server on :3000.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.LIUZHUAN_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        // The modeler is large and only admins open it: designer/src/flows/bpmnRuntime.ts loads
        // bpmn-js with import(), which already gives it a lazy chunk of its own. A manual 'bpmn'
        // group must not be added back: rolldown pulls a group's dependencies into it (min-dash,
        // which feelin shares), so the entry would import the whole group statically.
        manualChunks(id: string) {
          if (/node_modules\/(antd|@ant-design|rc-|@rc-component)/.test(id)) return 'antd';
          if (/node_modules\/@rjsf/.test(id)) return 'rjsf';
          return undefined;
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': server,
      '/socket.io': { target: server, ws: true },
    },
  },
});
