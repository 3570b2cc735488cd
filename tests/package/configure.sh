#!/usr/bin/env bash
# Configuring and packaging a plain build (CTest package/configure), in a build folder of its
# own under /tmp:
#   - without cmocka, `cmake -S . -B build` stops with a message that names the packages to
#     install and -DDIND_INIT_TESTS=OFF; with -DDIND_INIT_TESTS=OFF it configures (cmocka is
#     hidden from pkg-config by a wrapper, so this runs on a machine that has it);
#   - README.md's "Build" steps either install the test dependencies or turn the tests off;
#   - cpack's .deb declares /etc/dind-init.ini a conffile when it ships it, and neither ships
#     nor declares it with -DDIND_INIT_INSTALL_CONFIG=OFF (dpkg refuses a missing conffile).
#
#   tests/package/configure.sh [SOURCE_DIR]
set -euo pipefail

src=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d /tmp/dind-init-configure.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*" >&2
	fail=1
}

# pkg-config that knows every module but cmocka
real_pkg_config=$(command -v pkg-config)
cat >"$tmp/pkg-config" <<EOF
#!/bin/sh
for a in "\$@"; do case "\$a" in cmocka*) exit 1 ;; esac; done
exec $real_pkg_config "\$@"
EOF
chmod 755 "$tmp/pkg-config"

# 1. No cmocka: a message with the way out; then the way out works.
rc=0
cmake -S "$src" -B "$tmp/b1" -DPKG_CONFIG_EXECUTABLE="$tmp/pkg-config" >"$tmp/c1.log" 2>&1 || rc=$?
msg=$(tr -s ' \n' ' ' <"$tmp/c1.log")
if [ "$rc" = 0 ]; then
	bad "configured with cmocka hidden: the tests' dependency went unnoticed"
elif [[ "$msg" != *"libcmocka-dev"* || "$msg" != *"-DDIND_INIT_TESTS=OFF"* ]]; then
	bad "without cmocka, cmake's error names neither libcmocka-dev nor -DDIND_INIT_TESTS=OFF: $(grep -A3 'Error' "$tmp/c1.log")"
fi
rm -rf "$tmp/b1"
cmake -S "$src" -B "$tmp/b1" -DPKG_CONFIG_EXECUTABLE="$tmp/pkg-config" -DDIND_INIT_TESTS=OFF >"$tmp/c1.log" 2>&1 ||
	bad "without cmocka, -DDIND_INIT_TESTS=OFF does not configure: $(tail -5 "$tmp/c1.log")"

# 2. README.md's "Build": its first sh block's apt-get and cmake -S lines.
# (a line that ends in a backslash joined to the next)
block=$(awk '/^## / { sec = ($0 == "## Build") } sec && /^```sh$/ { on = 1; next } on && /^```$/ { exit } on' "$src/README.md" |
	sed -e ':a' -e '/\\$/{N;s/\\\n//;ba' -e '}')
apt=$(grep -E '^apt-get install' <<<"$block" || true)
configure=$(grep -E '^cmake -S ' <<<"$block" || true)
if [ -z "$apt" ] || [ -z "$configure" ]; then
	bad "README.md's Build section has no 'apt-get install' or 'cmake -S' line in its first sh block"
elif [[ " $configure " != *" -DDIND_INIT_TESTS=OFF "* ]]; then
	for p in libcmocka-dev bats; do
		[[ " $apt " == *" $p "* ]] ||
			bad "README.md's Build: '$configure' builds the tests, but '$apt' does not install $p"
	done
fi

# 3. The .deb's conffile, with and without the config. The build with the tests off is quick.
cmake --build "$tmp/b1" -j2 >"$tmp/build.log" 2>&1 || {
	tail -20 "$tmp/build.log" >&2
	bad "building $tmp/b1 failed"
	exit 1
}
# deb_of CONFIG: cpack's .deb with -DDIND_INIT_INSTALL_CONFIG=CONFIG; prints its path
deb_of() {
	cmake -S "$src" -B "$tmp/b1" -DDIND_INIT_INSTALL_CONFIG="$1" >>"$tmp/c1.log" 2>&1
	rm -rf "$tmp/deb-$1"
	(cd "$tmp/b1" && cpack -G DEB -B "$tmp/deb-$1") >"$tmp/cpack.log" 2>&1 || {
		cat "$tmp/cpack.log" >&2
		return 1
	}
	ls "$tmp/deb-$1"/dind-init_*.deb
}
if deb=$(deb_of OFF); then
	dpkg-deb -c "$deb" >"$tmp/list-OFF"
	! grep -q '/etc/dind-init.ini$' "$tmp/list-OFF" || bad "-DDIND_INIT_INSTALL_CONFIG=OFF: the .deb ships /etc/dind-init.ini"
	mkdir "$tmp/ctl-OFF"
	dpkg-deb -e "$deb" "$tmp/ctl-OFF"
	[ ! -e "$tmp/ctl-OFF/conffiles" ] ||
		bad "-DDIND_INIT_INSTALL_CONFIG=OFF: the .deb declares conffiles it does not ship: $(cat "$tmp/ctl-OFF/conffiles")"
else
	bad "cpack with -DDIND_INIT_INSTALL_CONFIG=OFF failed"
fi
if deb=$(deb_of ON); then
	dpkg-deb -c "$deb" >"$tmp/list-ON"
	grep -q '/etc/dind-init.ini$' "$tmp/list-ON" || bad "the .deb does not ship /etc/dind-init.ini"
	mkdir "$tmp/ctl-ON"
	dpkg-deb -e "$deb" "$tmp/ctl-ON"
	[ "$(cat "$tmp/ctl-ON/conffiles" 2>/dev/null)" = /etc/dind-init.ini ] ||
		bad "the .deb does not declare the conffile /etc/dind-init.ini"
	[ "$(awk '$NF == "dind-init" && $(NF-2) == "./usr/sbin/dind-ctl" { print $1 }' "$tmp/list-ON")" = lrwxrwxrwx ] ||
		bad "the .deb's /usr/sbin/dind-ctl is not a link to dind-init"
else
	bad "cpack failed"
fi

[ "$fail" = 1 ] || echo "configure: a missing cmocka says what to do, README's Build steps hold, the .deb's conffile follows DIND_INIT_INSTALL_CONFIG"
exit "$fail"
