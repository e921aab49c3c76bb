# syntax=docker/dockerfile:1
# Build: compile TypeScript with dev dependencies, then keep production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY bench ./bench
# bench/email-latency.ts reuses the test servers (Dovecot, SMTP sink) and is compiled with the rest.
COPY tests/support ./tests/support
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY data/training ./data/training
COPY samples ./samples
# State (SQLite, stored attachments) lives in a volume owned by the unprivileged user.
RUN mkdir -p /app/data/runtime /app/outbox && chown -R node:node /app/data/runtime /app/outbox
USER node
VOLUME ["/app/data/runtime"]
EXPOSE 8080
ENV ADUAN_CONFIG_DIR=/app/config
# /healthz answers on 127.0.0.1 inside the container by default; healthHost 0.0.0.0 exposes it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:8080/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
ENTRYPOINT ["node", "bin/aduan.js"]
CMD ["start"]
