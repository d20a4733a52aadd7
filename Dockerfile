# syntax=docker/dockerfile:1
# Multi-stage, multi-arch (linux/amd64, linux/arm64 for a Raspberry Pi 4/5):
#   docker buildx build --platform linux/arm64,linux/amd64 -t busybridge .
FROM node:24-slim AS build
WORKDIR /app
# sqlite3 compiles from source when no prebuilt binary fits the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm install, not npm ci: see .ci/run (the lock cannot list every platform's optional packages).
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-slim
# Memory on a Pi: a smaller young generation and old-space target and two malloc arenas keep RSS near the
# live heap (200 users: 431 -> 156 MB peak for ~10 % more CPU; docs/BENCHMARKS.md).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \
    MALLOC_ARENA_MAX=2 \
    PORT=3000 \
    DATABASE_PATH=/data/calendar-sync.db \
    ENCRYPTION_KEY_FILE=/secrets/encryption.key
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends curl sqlite3 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data /secrets && chown 1000:1000 /data /secrets
COPY --from=build --chown=1000:1000 /app/package.json ./
COPY --from=build --chown=1000:1000 /app/node_modules ./node_modules
COPY --from=build --chown=1000:1000 /app/dist ./dist
COPY --from=build --chown=1000:1000 /app/views ./views
COPY --from=build --chown=1000:1000 /app/public ./public
# node:24-slim already has user "node" with uid 1000.
USER 1000
VOLUME ["/data", "/secrets"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=10s --start-period=15s --retries=3 \
  CMD curl -fsS http://localhost:3000/health || exit 1
CMD ["node", "dist/src/main.js"]
