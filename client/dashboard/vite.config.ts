import { defineConfig } from "vite";

// The silo serves dist/ at http://127.0.0.1:7080/ (WebDashboard:Root). `npm run dev` serves the page
// from Vite instead and forwards the gRPC-Web calls to a local silo's HTTP endpoint.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    host: "127.0.0.1",
    proxy: { "/actorcrm.v1.": { target: "http://127.0.0.1:7080" } },
  },
});
