#!/usr/bin/env bash
# What `cmake --install` writes (CTest package/install; root: it makes a mount namespace):
#   - into a scratch prefix, everything lands inside it, the default config as
#     PREFIX/etc/dind-init.ini naming PREFIX/libexec/dind-init/stop-nested, and nothing in the
#     system's /etc (a /etc/dind-init.ini there makes every dind-init run without -c start
#     containerd and dockerd); the run sees a fresh tmpfs on /etc, so a broken rule cannot
#     harm the machine;
#   - with DESTDIR and the prefix /usr/local (the images), the config is DESTDIR/etc/dind-init.ini
#     and names /usr/local/libexec/dind-init/stop-nested;
#   - an existing config that differs is kept, and the default goes beside it as .new.
#
#   tests/package/install.sh BUILD_DIR
set -euo pipefail

build=${1:?usage: tests/package/install.sh BUILD_DIR}
tmp=$(mktemp -d /tmp/dind-init-install.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*" >&2
	fail=1
}

# 1. A scratch prefix, no DESTDIR, with /etc a fresh tmpfs that is listed afterwards.
unshare --mount sh -ec '
	mount --make-rprivate /
	mount -t tmpfs tmpfs /etc
	cmake --install "$1" --prefix "$2/inst" >"$2/install.log"
	ls -A /etc >"$2/etc-after"' sh "$build" "$tmp" || {
	cat "$tmp/install.log" >&2
	bad "cmake --install --prefix $tmp/inst failed"
}
[ ! -s "$tmp/etc-after" ] || bad "cmake --install --prefix $tmp/inst wrote into /etc: $(tr '\n' ' ' <"$tmp/etc-after")"
outside=$(grep -v "^$tmp/inst/" "$build/install_manifest.txt" || true)
[ -z "$outside" ] || bad "installed outside the prefix $tmp/inst: $outside"
for f in sbin/dind-init sbin/dind-certs libexec/dind-init/stop-nested etc/dind-init.ini \
	share/man/man8/dind-init.8.gz share/man/man5/dind-init.ini.5.gz; do
	[ -e "$tmp/inst/$f" ] || bad "$tmp/inst/$f is missing"
done
[ "$(readlink "$tmp/inst/sbin/dind-ctl")" = dind-init ] || bad "sbin/dind-ctl is not a link to dind-init"
grep -qx "command = $tmp/inst/libexec/dind-init/stop-nested 4" "$tmp/inst/etc/dind-init.ini" ||
	bad "$tmp/inst/etc/dind-init.ini does not name $tmp/inst/libexec/dind-init/stop-nested"
[ "$(stat -c %a "$tmp/inst/etc/dind-init.ini")" = 644 ] || bad "the config's mode is not 644"

# 2. DESTDIR and the images' prefix.
DESTDIR=$tmp/dest cmake --install "$build" --prefix /usr/local >"$tmp/install.log" ||
	bad "DESTDIR=$tmp/dest cmake --install --prefix /usr/local failed"
grep -qx "command = /usr/local/libexec/dind-init/stop-nested 4" "$tmp/dest/etc/dind-init.ini" ||
	bad "DESTDIR/etc/dind-init.ini does not name /usr/local/libexec/dind-init/stop-nested"

# 3. A config changed by hand is kept.
echo '; mine' >"$tmp/dest/etc/dind-init.ini"
DESTDIR=$tmp/dest cmake --install "$build" --prefix /usr/local >"$tmp/install.log"
[ "$(cat "$tmp/dest/etc/dind-init.ini")" = '; mine' ] || bad "an existing, changed /etc/dind-init.ini was overwritten"
grep -q '^\[service:dockerd\]' "$tmp/dest/etc/dind-init.ini.new" || bad "no /etc/dind-init.ini.new beside the kept config"
grep -q "Keeping $tmp/dest/etc/dind-init.ini" "$tmp/install.log" || bad "cmake --install did not say it kept the config"

[ "$fail" = 1 ] || echo "cmake --install: files in place, nothing outside the prefix or DESTDIR"
exit "$fail"
