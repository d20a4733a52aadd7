#!/usr/bin/env bash
# Lets this (amd64) machine run arm64 programs, in containers too: Debian's qemu-user-static registered
# with binfmt_misc using the F flag (the kernel opens the emulator now, so it need not exist inside the
# container's filesystem). Idempotent; needs root.
set -euo pipefail
BINFMT=/proc/sys/fs/binfmt_misc
if [ ! -e "$BINFMT/register" ]; then mount -t binfmt_misc binfmt_misc "$BINFMT"; fi
if [ -e "$BINFMT/qemu-aarch64" ]; then
  grep -q '^flags: .*F' "$BINFMT/qemu-aarch64" && exit 0
  echo -1 >"$BINFMT/qemu-aarch64"   # registered without F (e.g. by binfmt-support): register again
fi
CONF=/usr/lib/binfmt.d/qemu-aarch64.conf
if [ ! -r "$CONF" ]; then echo "$CONF missing: apt-get install qemu-user-static" >&2; exit 1; fi
# Debian's line already carries the F flag (flags OPF); add it should a future one not.
LINE="$(cat "$CONF")"
case "${LINE##*:}" in *F*) ;; *) LINE="${LINE}F" ;; esac
echo "$LINE" >"$BINFMT/register"
