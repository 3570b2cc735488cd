#!/usr/bin/env bash
# Make a Debian base image (debian:trixie-slim, debian:bookworm-slim) locally, for machines that
# cannot pull it (offline, or only a Debian mirror reachable): debootstrap a minbase system of that
# release, then `docker import` it. Run as root on a Debian or Ubuntu machine with debootstrap and
# a running dockerd.
#
#   images/make-base.sh [TAG]      default TAG: debian:trixie-slim; the release is the part of the
#                                  tag before "-slim" (trixie, bookworm)
#
# Environment:
#   DEBIAN_MIRROR           the mirror to debootstrap from and to write into the image's apt
#                           sources (default: the first Debian mirror in /etc/apt)
#   DEBIAN_SECURITY_MIRROR  default: DEBIAN_MIRROR with /debian replaced by /debian-security
#   MAKE_BASE_CACHE         where the root filesystem tarball is kept, so a second run only
#                           imports it (default: /var/cache/dind-init-e2e; delete it to refresh)
#   MAKE_BASE_LOG           debootstrap's output (default: MAKE_BASE_CACHE/debootstrap.log)
#
# The result has the official image's apt sources (RELEASE, RELEASE-updates, RELEASE-security)
# and CMD ["bash"]; it is larger than the official -slim (about 120 MB: docs and locales kept).
set -euo pipefail

prog=images/make-base.sh
tag=${1:-debian:trixie-slim}
cache_dir=${MAKE_BASE_CACHE:-/var/cache/dind-init-e2e}
docker=${DOCKER:-docker}

die() {
	echo "$prog: $*" >&2
	exit 1
}

case "$tag" in
debian:bookworm-slim | debian:trixie-slim) suite=${tag#debian:} suite=${suite%-slim} ;;
*) die "cannot make $tag: only debian:trixie-slim and debian:bookworm-slim can be made here" ;;
esac
log=${MAKE_BASE_LOG:-$cache_dir/debootstrap-$suite.log}
tarball=$cache_dir/debian-$suite-minbase.tar

# The first Debian mirror in apt's configuration (deb822 or one-line format): one that serves a
# Debian release (bookworm, trixie, ...) serves the others too.
apt_mirror() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk '
			/^[ \t]*$/ { if (uri != "" && suite) { print uri; exit } uri = ""; suite = 0; next }
			tolower($1) == "uris:" { uri = $2 }
			tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i ~ /^(bookworm|trixie|forky|sid)$/) suite = 1 }
			END { if (uri != "" && suite) print uri }
		' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" && $3 ~ /^(bookworm|trixie|forky|sid)$/ { print $2; exit }' "$f"
	done
}

make_tarball() {
	local mirror security root
	mirror=${DEBIAN_MIRROR:-$(apt_mirror | head -n 1)}
	[ -n "$mirror" ] || die "no Debian mirror found in /etc/apt: set DEBIAN_MIRROR"
	mirror=${mirror%/}
	security=${DEBIAN_SECURITY_MIRROR:-${mirror%/debian}/debian-security}
	command -v debootstrap >/dev/null || die "debootstrap is missing: apt-get install debootstrap"
	[ "$(id -u)" = 0 ] || die "debootstrap needs root"

	mkdir -p "$cache_dir" "$(dirname "$log")"
	root=$(mktemp -d "$cache_dir/rootfs.XXXXXX")
	# shellcheck disable=SC2064 # expand now: root is local
	trap "rm -rf '$root' '$tarball.tmp'" EXIT
	debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$log" 2>&1 || {
		tail -n 20 "$log" >&2
		die "debootstrap $suite from $mirror failed (full log: $log; set DEBIAN_MIRROR to a reachable mirror)"
	}
	rm -f "$root/etc/apt/sources.list"
	cat >"$root/etc/apt/sources.list.d/debian.sources" <<-EOF
		Types: deb
		URIs: $mirror
		Suites: $suite $suite-updates
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

		Types: deb
		URIs: $security
		Suites: $suite-security
		Components: main
		Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
	EOF
	rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/var/log/*.log
	tar --numeric-owner -C "$root" -cf "$tarball.tmp" . || die "archiving $root failed"
	mv "$tarball.tmp" "$tarball"
	rm -rf "$root"
	trap - EXIT
}

[ -s "$tarball" ] || make_tarball
"$docker" import --change 'CMD ["bash"]' "$tarball" "$tag" >/dev/null ||
	die "docker import of $tarball as $tag failed (is dockerd running? delete the tarball to rebuild it)"
