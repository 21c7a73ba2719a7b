# keyforge as a container: `docker build -t keyforge .` then
# `docker run --rm -p 4010:4010 -e KEYFORGE_DEMO=1 keyforge` (docs/container.md says more).
#
# Two stages on the same official Node image, so that the addons compiled in the first are built
# for the Node that runs them in the second. The build stage needs compilers: better-sqlite3
# compiles when no prebuilt binary can be downloaded, and argon2 when its prebuilt does not load.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/keyforge
ENV NPM_CONFIG_UPDATE_NOTIFIER=false
# PEM certificates to trust besides the image's, for a registry behind a TLS-inspecting proxy:
#   docker build --build-arg EXTRA_CA_CERTS="$(cat corporate-ca.pem)" .
# They are used by npm in this stage only and are not in the final image.
ARG EXTRA_CA_CERTS=""
COPY package.json package-lock.json ./
# Dependencies first, so a change to the source reuses this layer. --ignore-scripts also skips
# our own `prepare` (the source is not here yet); then exactly the install scripts keyforge needs
# run (package.json's allowScripts lists the same three). nodedir: node-gyp takes the headers of
# the image's own Node (the official images ship them in /usr/local/include/node) instead of
# downloading them; npm 11 warns that it does not know the setting, which is node-gyp's.
RUN set -e; \
    if [ -n "$EXTRA_CA_CERTS" ]; then \
      { if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then cat "$NODE_EXTRA_CA_CERTS"; fi; printf '%s\n' "$EXTRA_CA_CERTS"; } >/tmp/extra-ca.pem; \
      export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; \
    fi; \
    npm ci --ignore-scripts --no-audit --no-fund; \
    npm_config_nodedir=/usr/local npm rebuild argon2 better-sqlite3 esbuild; \
    rm -f /tmp/extra-ca.pem
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.ts scripts/bundle-patches.ts scripts/build-console.ts scripts/
COPY console console
COPY migrations migrations
COPY src src
# Build, drop the devDependencies, and the compilers' leftovers (objects, SQLite's sources) that
# nothing loads at run time.
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
      node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/build/Release/.deps \
      node_modules/better-sqlite3/build/deps node_modules/better-sqlite3/build/Release/*.a \
      node_modules/better-sqlite3/build/Release/test_extension.node node_modules/argon2/build/Release/obj* \
      node_modules/argon2/build/Release/*.a node_modules/argon2/build/Release/.deps

FROM ${NODE_IMAGE}
WORKDIR /opt/keyforge
# Owned by root and read-only to the `node` user keyforge runs as.
COPY --from=build /opt/keyforge/package.json ./
COPY --from=build /opt/keyforge/migrations migrations
COPY --from=build /opt/keyforge/node_modules node_modules
COPY --from=build /opt/keyforge/dist dist
# Inside a container keyforge listens on every interface, so the well-known demo credentials are
# off unless KEYFORGE_DEMO=1. The SQLite database lives in the volume; KEYFORGE_DB=:memory: or
# a postgres:// URL puts it elsewhere.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4010 KEYFORGE_DB=/data/keyforge.db
RUN mkdir /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 4010
HEALTHCHECK --interval=5s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4010) + '/_keyforge/health').then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1))"]
# keyforge handles SIGTERM (docker stop) itself: it finishes in-flight calls, closes the
# database and exits 0. Flags go after the image name: docker run keyforge --hash-profile fast
ENTRYPOINT ["node", "dist/start.cjs"]
