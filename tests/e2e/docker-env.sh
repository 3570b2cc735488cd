#!/usr/bin/env bash
# The Docker engine the end-to-end tests run on. Idempotent, quiet unless something fails; run as
# root on Debian 12 (CI runs it before the e2e suite).
#
#   tests/e2e/docker-env.sh              install docker.io & co. if missing, start containerd and
#                                        dockerd if they do not answer, make sure the base image
#                                        debian:trixie-slim exists (debootstrap + docker import
#                                        when it cannot be pulled)
#   tests/e2e/docker-env.sh --run-flags  the above, then print the `docker run` flags that give a
#                                        container full privileges here, one per line:
#                                          mapfile -t flags < <(tests/e2e/docker-env.sh --run-flags)
#   tests/e2e/docker-env.sh --tiny-image the default steps, then make the image dind-init-e2e/tiny
#                                        (busybox-static, ~2 MB) for nested `docker run`s, save it
#                                        and print the path of the tarball to `docker load` inside
#   tests/e2e/docker-env.sh --base-only  only the base image step (dockerd must answer already)
#
# Environment:
#   DEBIAN_MIRROR           mirror for debootstrap (default: the one apt uses; images/make-base.sh)
#   BASE_IMAGE              tag to create (default: debian:trixie-slim)
#   DIND_E2E_LOG            daemon logs (default: /var/log/dind-init-e2e)
#   DIND_E2E_CACHE          the debootstrap and tiny image tarballs (default: /var/cache/dind-init-e2e)
#   DIND_E2E_PRIVILEGED     yes | no: skip the --privileged probe and use this answer
#
# `--privileged` fails on some hosts ("unable to apply caps: operation not permitted") when the
# host's own capability bounding set lacks a capability Docker grants (CAP_SYS_RESOURCE in some
# sandboxed VMs). The fallback grants every capability the host has and lifts the same confinement
# --privileged lifts, except that /sys and the cgroup mounts stay read-only: dind-init's setup
# must cope with that (sys_rw, cgroups).
set -euo pipefail

prog=tests/e2e/docker-env.sh
repo=$(cd "$(dirname "$0")/../.." && pwd)
base_image=${BASE_IMAGE:-debian:trixie-slim}
log_dir=${DIND_E2E_LOG:-/var/log/dind-init-e2e}
cache_dir=${DIND_E2E_CACHE:-/var/cache/dind-init-e2e}
state_dir=/run/dind-init-e2e
containerd_sock=/run/containerd/containerd.sock
# Debian's client, the one installed with the daemon: another one earlier in PATH (some machines
# have a static docker in /usr/local/bin) must not hide a missing docker.io.
docker=/usr/bin/docker

die() {
	echo "$prog: $*" >&2
	exit 1
}

# Print the last lines of a log after an error message, so CI output shows the cause.
die_log() {
	local log=$1
	shift
	echo "$prog: $*" >&2
	if [ -s "$log" ]; then
		echo "--- last lines of $log:" >&2
		tail -n 20 "$log" >&2
	fi
	exit 1
}

install_packages() {
	local want=(docker.io containerd runc iptables debootstrap ca-certificates busybox-static)
	local missing=() p
	for p in "${want[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null || die "missing packages (${missing[*]}) and no apt-get: install them by hand"
	local log=$log_dir/apt.log
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >"$log" 2>&1 || die_log "$log" "apt-get update failed"
	apt-get install -y -q "${want[@]}" >>"$log" 2>&1 ||
		die_log "$log" "apt-get install ${missing[*]} failed"
}

# Wait up to $1 seconds for command "$@" to succeed; 0.2 s steps, each try bounded to 5 s (a
# daemon that is shutting down may accept a connection and never answer).
wait_for() {
	local tries=$(($1 * 5))
	shift
	while ! timeout 5 "$@" >/dev/null 2>&1; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.2
	done
}

start_daemons() {
	timeout 10 "$docker" info >/dev/null 2>&1 && return 0

	if ! timeout 5 ctr --address "$containerd_sock" version >/dev/null 2>&1; then
		setsid -f containerd >"$log_dir/containerd.log" 2>&1 </dev/null
		wait_for 30 ctr --address "$containerd_sock" version ||
			die_log "$log_dir/containerd.log" "containerd did not answer on $containerd_sock within 30 s"
	fi
	if ! pgrep -x dockerd >/dev/null; then
		# A dockerd killed by a previous run leaves its pid file behind and refuses to start.
		rm -f /var/run/docker.pid
		setsid -f dockerd --containerd="$containerd_sock" >"$log_dir/dockerd.log" 2>&1 </dev/null
	fi
	wait_for 60 "$docker" info ||
		die_log "$log_dir/dockerd.log" "dockerd did not answer 'docker info' within 60 s"
}

make_base_image() {
	"$docker" image inspect "$base_image" >/dev/null 2>&1 && return 0
	# A registry may be reachable after all.
	"$docker" pull -q "$base_image" >/dev/null 2>&1 && return 0
	case "$base_image" in
	debian:trixie-slim | debian:bookworm-slim) ;;
	*) die "$base_image is missing, cannot be pulled, and only debian:trixie-slim or debian:bookworm-slim can be made locally" ;;
	esac
	MAKE_BASE_CACHE=$cache_dir MAKE_BASE_LOG=$log_dir/debootstrap.log DOCKER=$docker \
		"$repo/images/make-base.sh" "$base_image"
}

# A tiny image to run inside the DinD container: busybox with a few applet links; CMD sh.
tiny_image() {
	local tag=dind-init-e2e/tiny:latest tarball=$cache_dir/tiny.tar root
	if [ ! -s "$tarball" ] || ! "$docker" image inspect "$tag" >/dev/null 2>&1; then
		root=$(mktemp -d)
		mkdir -p "$root/bin" "$root/tmp" "$cache_dir"
		cp /bin/busybox "$root/bin/busybox"
		local a
		for a in sh echo cat sleep ls id true false kill ps wget httpd; do
			ln -s busybox "$root/bin/$a"
		done
		tar --numeric-owner -C "$root" -c . | "$docker" import --change 'CMD ["sh"]' - "$tag" >/dev/null ||
			die "docker import of the tiny image failed"
		rm -rf "$root"
		"$docker" save -o "$tarball.tmp" "$tag" || die "docker save $tag to $tarball failed"
		mv "$tarball.tmp" "$tarball"
	fi
	echo "$tarball"
}

# One flag per line. The probe result is kept for as long as the same dockerd runs.
run_flags() {
	local answer=${DIND_E2E_PRIVILEGED:-} cache=$state_dir/privileged pid
	pid=$(pgrep -xo dockerd || true)
	if [ -z "$answer" ] && [ -n "$pid" ] && [ -s "$cache" ] && [ "$(sed -n 1p "$cache")" = "$pid" ]; then
		answer=$(sed -n 2p "$cache")
	fi
	if [ -z "$answer" ]; then
		if "$docker" run --rm --privileged --net=none "$base_image" true >/dev/null 2>"$state_dir/privileged.err"; then
			answer=yes
		else
			answer=no
		fi
		mkdir -p "$state_dir"
		printf '%s\n%s\n' "$pid" "$answer" >"$cache"
	fi
	if [ "$answer" = yes ]; then
		echo --privileged
	else
		echo --cap-add=ALL
		missing_caps "$pid"
		printf '%s\n' --security-opt=seccomp=unconfined --security-opt=apparmor=unconfined \
			--security-opt=systempaths=unconfined '--device-cgroup-rule=a *:* rwm'
	fi
}

# --cap-drop=NAME for each capability dockerd's own bounding set lacks (it cannot grant those).
missing_caps() {
	local names=(CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP
		LINUX_IMMUTABLE NET_BIND_SERVICE NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER
		SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN SYS_BOOT SYS_NICE
		SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP
		MAC_OVERRIDE MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF
		CHECKPOINT_RESTORE)
	local bnd i
	bnd=$(awk '$1 == "CapBnd:" { print $2 }' "/proc/${1:-self}/status" 2>/dev/null || true)
	[ -n "$bnd" ] || bnd=$(awk '$1 == "CapBnd:" { print $2 }' /proc/self/status)
	for i in "${!names[@]}"; do
		(((0x$bnd >> i) & 1)) || echo "--cap-drop=${names[$i]}"
	done
}

main() {
	[ "$(id -u)" = 0 ] || die "run it as root (it installs packages and starts dockerd)"
	mkdir -p "$log_dir" "$state_dir"
	case "${1:-}" in
	"")
		install_packages
		start_daemons
		make_base_image
		;;
	--run-flags)
		install_packages
		start_daemons
		make_base_image
		run_flags
		;;
	--tiny-image)
		install_packages
		start_daemons
		make_base_image
		tiny_image
		;;
	--base-only)
		"$docker" info >/dev/null 2>&1 || die "dockerd does not answer: run $prog without options first"
		make_base_image
		;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
		;;
	*)
		die "unknown option '$1' (try --help)"
		;;
	esac
}

main "$@"
