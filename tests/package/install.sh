#!/usr/bin/env bash
# What `cmake --install` writes (CTest package/install; root: it makes a mount namespace):
#   - into a scratch prefix, everything lands inside it, the default config as
#     PREFIX/etc/dind-init.ini naming PREFIX/libexec/dind-init/stop-nested, and nothing in the
#     system's /etc (a /etc/dind-init.ini there makes every dind-init run without -c start
#     containerd and dockerd), /usr/local or /opt: the run sees fresh tmpfs mounts there, so a
#     broken rule cannot harm the machine, and they must stay empty;
#   - with DESTDIR and the prefix /usr/local (the images), the same: nothing outside DESTDIR;
#     the config is DESTDIR/etc/dind-init.ini and names /usr/local/libexec/dind-init/stop-nested;
#   - in both, what `find` sees in the prefix (or DESTDIR) is exactly install_manifest.txt: the
#     dind-ctl link included, nothing unrecorded;
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

# run_install LABEL ENV... -- CMAKE-INSTALL-ARGS...: cmake --install in a mount namespace whose
# /etc, /usr/local and /opt are fresh tmpfs mounts (the places an installation that escapes its
# prefix or DESTDIR writes to), listed afterwards into $tmp/LABEL-outside; a broken rule cannot
# harm the machine.
run_install() {
	local label=$1
	shift
	unshare --mount sh -ec '
		out=$1 log=$2
		shift 2
		mount --make-rprivate /
		for d in /etc /usr/local /opt; do mount -t tmpfs tmpfs "$d"; done
		env "$@" >"$log"
		find /etc /usr/local /opt -mindepth 1 >"$out"' sh "$tmp/$label-outside" "$tmp/$label.log" "$@" || {
		cat "$tmp/$label.log" >&2
		bad "$label: cmake --install failed"
	}
	[ ! -s "$tmp/$label-outside" ] ||
		bad "$label: cmake --install wrote outside: $(tr '\n' ' ' <"$tmp/$label-outside")"
}

# same_files LABEL DIR [DESTDIR]: every file and link found in DIR is in install_manifest.txt
# (whose paths leave DESTDIR out), and every path of the manifest is in DIR (what was written,
# not just what CMake recorded)
same_files() {
	local extra missing
	find "$2" -type f -o -type l | sort >"$tmp/$1-found"
	sed "s|^|${3:-}|" "$build/install_manifest.txt" | sort >"$tmp/$1-manifest"
	extra=$(comm -23 "$tmp/$1-found" "$tmp/$1-manifest" | tr '\n' ' ')
	missing=$(comm -13 "$tmp/$1-found" "$tmp/$1-manifest" | tr '\n' ' ')
	[ -z "$extra" ] || bad "$1: written into $2 but not in install_manifest.txt: $extra"
	[ -z "$missing" ] || bad "$1: in install_manifest.txt but not in $2 (so written elsewhere): $missing"
}

# 1. A scratch prefix, no DESTDIR.
run_install prefix -- cmake --install "$build" --prefix "$tmp/inst"
same_files prefix "$tmp/inst"
for f in sbin/dind-init sbin/dind-certs libexec/dind-init/stop-nested etc/dind-init.ini \
	share/man/man8/dind-init.8.gz share/man/man5/dind-init.ini.5.gz; do
	[ -e "$tmp/inst/$f" ] || bad "$tmp/inst/$f is missing"
done
[ "$(readlink "$tmp/inst/sbin/dind-ctl")" = dind-init ] || bad "sbin/dind-ctl is not a link to dind-init"
grep -qx "command = $tmp/inst/libexec/dind-init/stop-nested 4" "$tmp/inst/etc/dind-init.ini" ||
	bad "$tmp/inst/etc/dind-init.ini does not name $tmp/inst/libexec/dind-init/stop-nested"
[ "$(stat -c %a "$tmp/inst/etc/dind-init.ini")" = 644 ] || bad "the config's mode is not 644"

# 2. DESTDIR and the images' prefix: everything inside DESTDIR, nothing in the real /etc or
# /usr/local (the prefix and the config's place without DESTDIR).
run_install destdir -- DESTDIR="$tmp/dest" cmake --install "$build" --prefix /usr/local
same_files destdir "$tmp/dest" "$tmp/dest"
[ "$(readlink "$tmp/dest/usr/local/sbin/dind-ctl")" = dind-init ] || bad "DESTDIR: sbin/dind-ctl is not a link to dind-init"
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
