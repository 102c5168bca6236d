# The Purna API as a container: the three packages built and packed in a first stage, then installed from their
# tarballs into an empty project, as a user installs them (no sources, no TypeScript, no dev dependencies).
# docs/operations.md, "Containers", says how to run it, alone or with MongoDB (compose.yaml).

FROM node:20-bookworm-slim AS build
WORKDIR /src
# The manifests first, so the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json lerna.json tsconfig.base.json tsconfig.json ./
COPY packages/rules/package.json packages/rules/
COPY packages/ledger/package.json packages/ledger/
COPY api/package.json api/
RUN npm ci --no-audit --no-fund
COPY LICENSE ./
COPY packages/rules packages/rules
COPY packages/ledger packages/ledger
COPY api api
# The playground, built into @purna/api while it is packed (its prepack), with the recipes it offers as samples.
COPY playground playground
COPY scripts/playground scripts/playground
COPY docs/recipes docs/recipes
RUN npm run build \
 && mkdir /packs \
 && npm pack --pack-destination /packs -w @purna/rules -w @purna/ledger -w @purna/api

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /packs /tmp/packs
RUN echo '{ "name": "purna-server", "private": true, "type": "module" }' > package.json \
 && npm install --omit=dev --no-audit --no-fund /tmp/packs/*.tgz \
 && rm -rf /tmp/packs \
 && npm cache clean --force \
 && mkdir -p /var/lib/purna \
 && chown node:node /var/lib/purna
USER node
# The embedded store's folder: mount a volume here (an existing folder is used as it is).
ENV PURNA_DATA_DIR=/var/lib/purna PORT=3000
VOLUME ["/var/lib/purna"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Plain Node on the compiled CLI, so SIGTERM reaches the server (graceful shutdown) without npx in between.
CMD ["node", "node_modules/@purna/api/bin/purna.js", "serve"]
