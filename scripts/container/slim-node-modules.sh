#!/bin/sh
# Drops from a production install what Node never loads at run time, so the image fits an SD card:
# source maps, TypeScript sources and declarations, READMEs and changelogs (licences stay), and the
# compiler's leftovers of sqlite3 (its C sources, objects and static libraries; the addon stays).
#   scripts/container/slim-node-modules.sh <app dir>      (run by the Dockerfile's build stage)
set -eu
APP="$1"
find "$APP/node_modules" "$APP/dist" -type f \( -name '*.map' -o -name '*.ts' -o -name '*.mts' -o -name '*.cts' \
  -o -iname 'README*' -o -iname 'CHANGELOG*' -o -iname 'HISTORY*' -o -name '*.markdown' \) -delete
SQLITE="$APP/node_modules/sqlite3"
ADDON="$SQLITE/build/Release/node_sqlite3.node"
test -f "$ADDON" || { echo "sqlite3 was not compiled: $ADDON is missing" >&2; exit 1; }
mv "$ADDON" "$APP/node_sqlite3.node"
rm -rf "$SQLITE/build" "$SQLITE/deps" "$SQLITE/src"
mkdir -p "$SQLITE/build/Release"
mv "$APP/node_sqlite3.node" "$ADDON"
