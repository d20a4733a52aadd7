# BusyBridge: one small image for linux/amd64 and linux/arm64 (Raspberry Pi 4/5), built with plain
# `docker build` (BuildKit or the classic builder; no buildx features). docs/install.md has the commands,
# including the build for a Pi from a laptop.
#
# NODE_IMAGE: the official Node image, or the same pinned by digest for a byte-for-byte repeatable build.
ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS build
# sqlite3 is compiled here, against the Node headers the base image ships (npm_config_nodedir), never
# downloaded: the build needs nothing but the npm registry and Debian's mirror.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV npm_config_nodedir=/usr/local \
    npm_config_build_from_source=sqlite3 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
WORKDIR /app
COPY package.json package-lock.json ./
# EXTRA_CA_CERTS: PEM text of a certificate authority npm must trust, for networks that inspect TLS with
# their own CA: --build-arg EXTRA_CA_CERTS="$(cat corporate-ca.pem)". It is used by this stage only; the
# final image is assembled below from files this stage produces and never contains it.
ARG EXTRA_CA_CERTS=""
# Exactly the lock file's versions. No install scripts but sqlite3's: the devDependency `node` would
# otherwise download a second Node binary only the test suite uses.
RUN if [ -n "$EXTRA_CA_CERTS" ]; then printf '%s\n' "$EXTRA_CA_CERTS" >/tmp/extra-ca.pem; export NODE_EXTRA_CA_CERTS=/tmp/extra-ca.pem; fi \
 && npm ci --ignore-scripts \
 && npm rebuild sqlite3 \
 && rm -f /tmp/extra-ca.pem
COPY . .
RUN npm run build
# Production packages only, without the optional ones (the mailer's template engines BusyBridge never
# loads), and without what Node never loads at run time: source maps, TypeScript sources and declarations,
# READMEs and changelogs (licences stay), typeorm's and two validators' browser builds, the browser
# libraries the build copied into public/vendor, bintrees' test data, and sqlite3's C sources and objects
# (its addon stays).
RUN npm prune --omit=dev --omit=optional \
 && find node_modules dist -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \
      -o -iname 'README*' -o -iname 'CHANGELOG*' -o -iname 'HISTORY*' \) -delete \
 && cd node_modules \
 && rm -rf typeorm/browser bintrees/test class-validator/bundles rxjs/dist/bundles libphonenumber-js/bundle htmx.org alpinejs @alpinejs \
 && mv sqlite3/build/Release/node_sqlite3.node /tmp/ && rm -rf sqlite3/build sqlite3/deps sqlite3/src \
 && mkdir -p sqlite3/build/Release && mv /tmp/node_sqlite3.node sqlite3/build/Release/

# The runtime file system: the base image without what only building needs (npm, C headers), plus the
# sqlite3 command for backups (docs/backup-restore.md). Flattened below into one layer, so what is
# removed here really leaves the image. Also gone: Perl (only Debian's packaging scripts use it, and
# nothing installs packages into a read-only root), and glibc's iconv modules (gconv: 8 MB on amd64, 20 MB
# on arm64), which only iconv() between legacy character sets loads -- Node converts text with its own ICU,
# and UTF-8 needs no module.
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends sqlite3 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \
 && dpkg --purge --force-remove-essential --force-depends perl-base \
 && rm -rf /usr/lib/*-linux-gnu/gconv \
 && rm -rf /usr/local/include /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
           /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* /root/.npm /tmp/* \
 && mkdir -p /data /secrets /app && chown 1000:1000 /data /secrets && chmod 700 /secrets
# Application files belong to root and are read-only to the runtime user (uid 1000).
COPY --from=build /app/package.json /app/
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/dist/src /app/dist/src
COPY --from=build /app/dist/migrations /app/dist/migrations
COPY --from=build /app/views /app/views
COPY --from=build /app/public /app/public
RUN chmod -R a-w,a+rX /app

FROM scratch
# Owners and modes come along: root's application files, the runtime user's two volumes.
COPY --from=runtime / /
# Memory on a Pi: a smaller young generation and old-space target and two malloc arenas keep RSS near the
# live heap (200 users: 431 -> 156 MB peak for ~10 % more CPU; docs/BENCHMARKS.md).
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=128" \
    MALLOC_ARENA_MAX=2 \
    PORT=3000 \
    DATABASE_PATH=/data/calendar-sync.db \
    ENCRYPTION_KEY_FILE=/secrets/encryption.key
WORKDIR /app
# The base image's user "node" has uid 1000.
USER 1000:1000
# With a read-only root file system (docker run --read-only, compose read_only) these two volumes and a
# tmpfs on /tmp (database exports) are the only writable places.
VOLUME ["/data", "/secrets"]
EXPOSE 3000
# Node itself asks /health: no curl in the image.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
