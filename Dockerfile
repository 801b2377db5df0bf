# syntax=docker/dockerfile:1
# One image for all seven services; the service is chosen by the command:
#   docker run oms-sor:dev --service oms-core
# Distributed mode needs OMS_MODE=distributed (every service but broker-simulator) and the
# POSTGRES_* / KAFKA_BOOTSTRAP / REDIS_* settings: see deploy/README.md.
ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: all dependencies, TypeScript and the web blotter -> dist/ ------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The web blotter (Vite builds it into dist/web, served by oms-ingest at /).
COPY web ./web
RUN npm run build

# --- production dependencies only ------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    DATA_DIR=/app/data
WORKDIR /app
COPY --chown=root:root package.json ./
COPY --from=prod-deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root migrations ./migrations
# The code is read-only for the service user; only DATA_DIR (FIX session stores) is writable.
RUN mkdir -p /app/data && chown node:node /app/data
# The node image's unprivileged user (uid/gid 1000).
USER node
# HTTP (PORT), gRPC (GRPC_PORT) and the broker simulator's FIX acceptors; each service uses a few.
EXPOSE 8080-8086 50050 50054 50055 9880-9884
STOPSIGNAL SIGTERM
# A 64 MB young generation: with the 16 MB default the order flow spent ~15% of its thread in
# scavenges copying objects that live a few milliseconds (README, Benchmarks).
ENV NODE_OPTIONS=--max-semi-space-size=64
ENTRYPOINT ["node","dist/main.js"]
CMD ["--service","oms-ingest"]
