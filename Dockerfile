# syntax=docker/dockerfile:1
# Node 26 LTS, pinned to the newest patch release known when this was written (26.10.0); bump the tag
# with every Node security release (https://nodejs.org/en/about/previous-releases).
ARG NODE_IMAGE=node:26.10.0-trixie-slim

# Build: compile TypeScript with dev dependencies, then keep production dependencies only.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
# bench/email-latency.ts reuses the test servers (Dovecot, SMTP sink) and is compiled with the rest
# (.dockerignore keeps tests/support in the build context, nothing else of tests/).
COPY tests/support ./tests/support
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY data/training ./data/training
COPY samples ./samples
# State (SQLite, stored attachments) and the outbox belong to the unprivileged user; the code does not.
RUN mkdir -p /app/data/runtime /app/outbox && chown node:node /app/data/runtime /app/outbox
USER node
VOLUME ["/app/data/runtime", "/app/outbox"]
EXPOSE 8080
ENV ADUAN_CONFIG_DIR=/app/config
# Asks /healthz on the port the configuration names (service.healthPort), on loopback by default.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["node", "bin/healthcheck.js"]
# Heap sizing (docs/development.md, "Memory"): Node 26's defaults let the heap grow to ≈ 300 MB RSS while draining a
# backlog; a 16 MB young generation (Node 20's) and a 256 MB old generation keep it under 250 MB.
ENTRYPOINT ["node", "--max-semi-space-size=16", "--max-old-space-size=256", "bin/aduan.js"]
CMD ["start"]
