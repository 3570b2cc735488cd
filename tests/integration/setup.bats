#!/usr/bin/env bats
# Container setup ([init] mount_tmpfs, stale_files, iptables, rlimit_nofile, cgroups v1,
# preflight, data_root). Each test runs dind-init as PID 1 of fresh PID and mount namespaces,
# so its mounts are private; paths point into the test folder, never at the host's.

load common

# in_setup_ns [--net] PREP ARGS...: run shell PREP inside the namespaces, then exec dind-init
# ARGS there as PID 1 (setup enabled); output in $output/$status via bats `run`.
in_setup_ns() {
	local net=()
	if [ "$1" = --net ]; then
		net=(--net)
		shift
	fi
	local prep=$1
	shift
	timeout --kill-after=5 60 unshare --pid --fork --kill-child --mount-proc "${net[@]}" \
		sh -c "$prep"'
exec "$0" "$@"' "$DIND_INIT" "$@"
}

# the [init] lines that keep every step away from the host except the ones under test
quiet_setup() {
	cat <<EOF
[init]
runtime_dir = $T/rundir
control_socket = none
mount_tmpfs =
stale_files =
cgroups = no
iptables = no
data_root = none
main_after = s
EOF
}

service_s() {
	printf '[service:s]\ncommand = sleep 1000\n'
}

@test "mount_tmpfs: a fresh tmpfs hides what a previous run left; /tmp-like folders get 1777" {
	mkdir -p "$T/run" "$T/scratch"
	echo 12345 >"$T/run/docker.pid"
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
$(service_s)
EOF
	run in_setup_ns ':' -c "$T/dind-init.ini" -- sh -c "stat -f -c 'type=%T' $T/run; ls -A $T/run | tr '\n' ' '; echo listed"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'type=tmpfs' <<<"$output"
	grep -qx 'listed' <<<"$output"
	grep -q "setup: mounted a fresh tmpfs on $T/run" <<<"$output"
	# outside the namespace the old file is still there: nothing of the host was touched
	[ -f "$T/run/docker.pid" ]
}

@test "mount_tmpfs: a folder that is a tmpfs already, or has a mount at or below it, is left alone" {
	mkdir -p "$T/already" "$T/keep/sub" "$T/vol" "$T/data"
	touch "$T/data/user-file"
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/already $T/keep $T/vol|")
$(service_s)
EOF
	run in_setup_ns "mount -t tmpfs x $T/already && touch $T/already/mine && mount -t tmpfs y $T/keep/sub && touch $T/keep/sub/volume-file && mount --bind $T/data $T/vol" \
		-c "$T/dind-init.ini" -- sh -c "ls $T/already $T/keep/sub $T/vol"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx mine <<<"$output"
	grep -qx volume-file <<<"$output"
	grep -qx user-file <<<"$output"
	grep -q "setup: $T/already is a tmpfs already" <<<"$output"
	grep -q "not mounting a tmpfs on $T/keep: $T/keep/sub is mounted below it" <<<"$output"
	grep -q "not mounting a tmpfs on $T/vol: $T/vol is mounted there already" <<<"$output"
}

@test "stale_files: dead pid files and dead sockets go; live ones and other files stay" {
	echo 30999 >"$T/dead.pid"
	echo garbage >"$T/junk.pid"
	mkdir "$T/adir"
	python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/dead.sock"
	"$HELPERS/http_server" --unix "$T/live.sock" &
	server=$!
	for _ in $(seq 100); do [ -S "$T/live.sock" ] && break; sleep 0.05; done
	write_config <<EOF
$(quiet_setup | sed "s|^stale_files =.*|stale_files = $T/dead.pid $T/junk.pid $T/live.pid\\n\\t$T/dead.sock $T/live.sock\\n\\t$T/adir $T/missing.pid|")
$(service_s)
EOF
	# live.pid names a process that runs inside the namespace (pid 2: the sleep)
	run in_setup_ns "sleep 1000 & echo \$! >$T/live.pid" -c "$T/dind-init.ini" -- true
	kill "$server"
	echo "$output"
	[ "$status" -eq 0 ]
	[ ! -e "$T/dead.pid" ] && [ ! -e "$T/junk.pid" ] && [ ! -e "$T/dead.sock" ]
	[ -e "$T/live.pid" ] && [ -e "$T/adir" ]
	grep -q "removed the stale $T/dead.pid (process 30999 is gone)" <<<"$output"
	grep -q "removed the stale $T/dead.sock (nothing listens on it)" <<<"$output"
	grep -q "kept $T/live.pid: process 2 is alive" <<<"$output"
	grep -q "kept $T/live.sock: something listens on it" <<<"$output"
	grep -q "kept $T/adir: it is neither a pid file nor a socket" <<<"$output"
}

# fake_iptables NFT_RC LEGACY_RC: iptables-MODE tools (and -save, -restore, ip6tables-*) that
# print their name and arguments and exit with the given status
fake_iptables() {
	local -A rc=([nft]=$1 [legacy]=$2)
	mkdir -p "$T/fakebin"
	for mode in nft legacy; do
		for base in iptables ip6tables; do
			for suffix in "" -save -restore; do
				local name=$base-$mode$suffix
				printf '#!/bin/sh\necho "%s $*"\nexit %s\n' "$name" "${rc[$mode]}" >"$T/fakebin/$name"
				chmod +x "$T/fakebin/$name"
			done
		done
	done
}

iptables_config() {
	write_config <<EOF
$(quiet_setup | sed "s|^iptables =.*|iptables = $1|")
$(service_s)
EOF
}

@test "iptables auto: nft when iptables-nft works, and dockerd's PATH finds the choice" {
	fake_iptables 0 0
	iptables_config auto
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- sh -c 'iptables -nL; iptables-save; ip6tables-restore'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'setup: iptables: using nft (iptables-nft works)' <<<"$output"
	grep -qx 'iptables-nft -nL' <<<"$output"
	grep -qx 'iptables-nft-save ' <<<"$output"
	grep -qx 'ip6tables-nft-restore ' <<<"$output"
}

@test "iptables auto: legacy when only iptables-legacy works; a configured mode wins" {
	fake_iptables 1 0
	iptables_config auto
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'using legacy (iptables-nft does not work, iptables-legacy does)' <<<"$output"
	grep -qx 'iptables-legacy -nL' <<<"$output"

	fake_iptables 0 0
	iptables_config legacy
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -L
	echo "$output"
	grep -q 'using legacy (configured)' <<<"$output"
	grep -qx 'iptables-legacy -L' <<<"$output"
}

@test "iptables auto: legacy when legacy tables already hold rules, even if nft works" {
	command -v iptables-legacy >/dev/null
	fake_iptables 0 0
	iptables_config auto
	# a real legacy rule in the fresh network namespace, before dind-init looks
	PATH="$T/fakebin:$PATH" run in_setup_ns --net "/usr/sbin/iptables-legacy -A INPUT -j ACCEPT" \
		-c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'using legacy (legacy tables already hold rules)' <<<"$output"
}

@test "iptables auto: neither works: a warning that says what to do, and dind-init goes on" {
	fake_iptables 1 1
	iptables_config auto
	PATH="$T/fakebin:/usr/bin:/bin" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'neither iptables-nft nor iptables-legacy works here.*--iptables=false' <<<"$output"
}

@test "rlimit_nofile: the soft limit is raised to the hard one; keep leaves it" {
	write_config <<EOF
$(quiet_setup)
$(service_s)
EOF
	run in_setup_ns 'ulimit -S -n 1024' -c "$T/dind-init.ini" -- sh -c 'echo "soft=$(ulimit -S -n) hard=$(ulimit -H -n)"'
	echo "$output"
	[ "$status" -eq 0 ]
	soft=$(sed -n 's/^soft=\([0-9]*\) hard=\([0-9]*\)$/\1/p' <<<"$output")
	hard=$(sed -n 's/^soft=\([0-9]*\) hard=\([0-9]*\)$/\2/p' <<<"$output")
	[ -n "$soft" ] && [ "$soft" = "$hard" ] && [ "$soft" -gt 1024 ]
	grep -q "RLIMIT_NOFILE soft limit 1024 -> $hard" <<<"$output"

	write_config <<EOF
$(quiet_setup)
rlimit_nofile = keep
$(service_s)
EOF
	run in_setup_ns 'ulimit -S -n 1024' -c "$T/dind-init.ini" -- sh -c 'echo "soft=$(ulimit -S -n)"'
	grep -qx 'soft=1024' <<<"$output"
}

@test "preflight: without CAP_SYS_ADMIN and CAP_NET_ADMIN it exits 3 and says --privileged" {
	# a tmpfs to mount and iptables on: preflight = auto asks for these capabilities only then
	# (it fails before either step would run)
	mkdir -p "$T/run"
	write_config <<EOF
$(quiet_setup | sed -e 's/^iptables = no$/iptables = auto/' -e "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
$(service_s)
EOF
	run in_setup_ns 'exec setpriv --bounding-set -sys_admin,-net_admin --inh-caps -sys_admin,-net_admin "$0" "$@"' \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q 'lacks CAP_SYS_ADMIN and CAP_NET_ADMIN' <<<"$output"
	grep -q -- '--privileged' <<<"$output"
	refute grep -q main-ran <<<"$output"

	# preflight = no: it goes on (and the steps that need nothing privileged still work)
	write_config <<EOF
$(quiet_setup)
preflight = no
$(service_s)
EOF
	run in_setup_ns 'exec setpriv --bounding-set -sys_admin,-net_admin --inh-caps -sys_admin,-net_admin "$0" "$@"' \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx main-ran <<<"$output"
}

@test "preflight = auto: CAP_SYS_ADMIN only when a mount will be made, CAP_NET_ADMIN only when iptables is on" {
	mkdir -p "$T/run"
	# iptables = no (quiet_setup), a mount_tmpfs path that is no tmpfs: only CAP_SYS_ADMIN
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
$(service_s)
EOF
	run in_setup_ns 'exec setpriv --bounding-set -sys_admin,-net_admin --inh-caps -sys_admin,-net_admin "$0" "$@"' \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q 'lacks CAP_SYS_ADMIN, which' <<<"$output"
	refute grep -q main-ran <<<"$output"

	# that path a tmpfs already (docker run --tmpfs), the other mounting steps only warning:
	# nothing to ask for, and it runs
	run in_setup_ns "mount -t tmpfs given $T/run && "'exec setpriv --bounding-set -sys_admin,-net_admin --inh-caps -sys_admin,-net_admin "$0" "$@"' \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx main-ran <<<"$output"
	refute grep -q 'lacks CAP' <<<"$output"
	grep -q "setup: $T/run is a tmpfs already" <<<"$output"

}

@test "a failing mount names the step and the fix, and nothing starts: exit 3" {
	mkdir -p "$T/run"
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
preflight = no
$(service_s)
EOF
	# without CAP_SYS_ADMIN the tmpfs mount fails with EPERM: the flags that avoid the mount
	run in_setup_ns 'exec setpriv --bounding-set -sys_admin --inh-caps -sys_admin "$0" "$@"' \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q "setup: mounting a tmpfs on $T/run (mount_tmpfs) failed: this container lacks CAP_SYS_ADMIN: run it with --tmpfs /run --tmpfs /tmp (or --privileged): Operation not permitted" <<<"$output"
	grep -q -- '--privileged' <<<"$output"
	refute grep -q main-ran <<<"$output"
}

@test "data_root on overlayfs gets a one-line warning to mount a volume there" {
	mkdir -p "$T/lower" "$T/upper" "$T/work" "$T/data"
	write_config <<EOF
$(quiet_setup | sed "s|^data_root =.*|data_root = $T/data|")
$(service_s)
EOF
	run in_setup_ns "mount -t overlay overlay -o lowerdir=$T/lower,upperdir=$T/upper,workdir=$T/work $T/data" \
		-c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c "the Docker data root $T/data is on the container's overlay filesystem.*mount a volume there" <<<"$output")" -eq 1 ]
}

@test "cgroups v1: read-only hierarchies are remounted read-write" {
	# the machines this runs on are cgroup v1 (hybrid); v2 is covered end to end
	[ -d /sys/fs/cgroup/memory ]
	write_config <<EOF
$(quiet_setup | sed "s|^cgroups =.*|cgroups = v1|")
$(service_s)
EOF
	run in_setup_ns 'mount -o remount,bind,ro /sys/fs/cgroup/memory' -c "$T/dind-init.ini" -- \
		sh -c 'findmnt -no OPTIONS /sys/fs/cgroup/memory'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q '^rw,' <<<"$output"
	grep -q 'setup: cgroup v1: remounted [0-9]* read-only hierarchies read-write' <<<"$output"
}

@test "cgroups v1: with no hierarchies mounted, each one of /proc/cgroups is mounted" {
	# the machines this runs on are cgroup v1 (hybrid); v2 is covered end to end
	[ -d /sys/fs/cgroup/memory ]
	write_config <<EOF
$(quiet_setup | sed "s|^cgroups =.*|cgroups = v1|")
$(service_s)
EOF
	run in_setup_ns 'umount -R /sys/fs/cgroup 2>/dev/null || umount -l /sys/fs/cgroup; mount -t tmpfs none /sys/fs/cgroup' \
		-c "$T/dind-init.ini" -- sh -c 'stat -f -c "memory=%T" /sys/fs/cgroup/memory; stat -f -c "systemd=%T" /sys/fs/cgroup/systemd; ls /sys/fs/cgroup | tr "\n" " "; echo'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'memory=cgroupfs' <<<"$output"
	grep -qx 'systemd=cgroupfs' <<<"$output"
	grep -q 'setup: cgroup v1: mounted [0-9]* hierarchies read-write' <<<"$output"
}

@test "no setup when not PID 1 (with a warning that says what to do), with --no-setup, or with setup = no" {
	mkdir -p "$T/run"
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
$(service_s)
EOF
	run timeout 30 "$DIND_INIT" -c "$T/dind-init.ini" -- stat -f -c 'type=%T' "$T/run"
	echo "$output"
	refute grep -qx 'type=tmpfs' <<<"$output"
	# services are configured, so the skip is a warning (visible with -q too), with the fix
	grep -q "warning: setup: skipped: dind-init is not PID 1 (pid [0-9]*, parent [0-9]*).*make dind-init the container's PID 1.*setup = yes" <<<"$output"

	run in_setup_ns ':' --no-setup -c "$T/dind-init.ini" -- stat -f -c 'type=%T' "$T/run"
	refute grep -qx 'type=tmpfs' <<<"$output"
	refute grep -q 'warning: setup' <<<"$output"

	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
setup = no
$(service_s)
EOF
	run in_setup_ns ':' -c "$T/dind-init.ini" -- stat -f -c 'type=%T' "$T/run"
	echo "$output"
	[ "$status" -eq 0 ]
	refute grep -qx 'type=tmpfs' <<<"$output"
	refute grep -q 'warning: setup' <<<"$output"

	# and a plain init around a command (no services) does no setup either, silently
	run in_setup_ns ':' -c /dev/null -- stat -f -c 'type=%T' /tmp
	echo "$output"
	[ "$status" -eq 0 ]
	refute grep -q 'warning: setup' <<<"$output"
}

# under_init NAME ARGS...: dind-init ARGS as the child of PID 1 named NAME (a script that runs
# its arguments and exits with their status, like tini), in fresh PID and mount namespaces, and
# in a container as far as dind-init can tell ($container is set, as Podman and nspawn do)
under_init() {
	local name=$1
	shift
	mkdir -p "$T/initbin"
	printf '#!/bin/sh\n"$@"\nexit $?\n' >"$T/initbin/$name"
	chmod +x "$T/initbin/$name"
	timeout --kill-after=5 60 unshare --pid --fork --kill-child --mount-proc \
		env container=test "$T/initbin/$name" "$DIND_INIT" "$@"
}

@test "docker run --init: as the child of a minimal init that is PID 1 of a container, the setup runs" {
	mkdir -p "$T/run"
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
$(service_s)
EOF
	for init in docker-init tini catatonit; do
		run under_init "$init" -c "$T/dind-init.ini" -- stat -f -c 'type=%T' "$T/run"
		echo "$output"
		[ "$status" -eq 0 ]
		grep -qx 'type=tmpfs' <<<"$output"
		grep -q "setup: dind-init is pid 2 under $init, the container's init (docker run --init)" <<<"$output"
		grep -q "setup: mounted a fresh tmpfs on $T/run" <<<"$output"
	done
}

@test "under a PID 1 that is not a known minimal init (a host's systemd, a shell), no setup, and a warning" {
	mkdir -p "$T/run"
	write_config <<EOF
$(quiet_setup | sed "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
$(service_s)
EOF
	for init in systemd init entrypoint.sh; do
		run under_init "$init" -c "$T/dind-init.ini" -- stat -f -c 'type=%T' "$T/run"
		echo "$output"
		[ "$status" -eq 0 ]
		refute grep -qx 'type=tmpfs' <<<"$output"
		grep -q "warning: setup: skipped: dind-init is not PID 1 (PID 1 is '$init')" <<<"$output"
	done
}

@test "preflight: as another user than root it exits 3 and says to run as root, before the capabilities" {
	chmod 755 "$T"
	write_config <<EOF
$(quiet_setup)
$(service_s)
EOF
	chmod 644 "$T/dind-init.ini"
	# docker run --user 1000: no capabilities in the effective set either
	run in_setup_ns 'exec setpriv --reuid=1000 --regid=1000 --clear-groups "$0" "$@"' \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q 'dind-init runs as uid 1000, but must run as root (uid 0).*drop docker run --user.*\[main\] user' <<<"$output"
	refute grep -q 'lacks CAP_' <<<"$output"
	refute grep -q main-ran <<<"$output"
}

@test "preflight: each path the services write to that is on a read-only mount is named, with the fix; exit 3" {
	mkdir -p "$T/data" "$T/ro" "$T/rw"
	write_config <<EOF
$(quiet_setup | sed "s|^data_root =.*|data_root = $T/data|")
writable_paths = $T/ro/state $T/rw
    $T/ro/missing/deeper
$(service_s)
EOF
	# read-only volumes on the data root and on $T/ro; $T/rw stays writable
	run in_setup_ns "mount --bind $T/data $T/data && mount -o remount,bind,ro $T/data && mount --bind $T/ro $T/ro && mount -o remount,bind,ro $T/ro" \
		-c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q "error: setup: $T/data is on $T/data, which is mounted read-only, but dockerd writes there: mount it read-write" <<<"$output"
	grep -q "error: setup: $T/ro/state is on $T/ro, which is mounted read-only, but a service writes there" <<<"$output"
	# a path that does not exist yet counts where it would be created
	grep -q "error: setup: $T/ro/missing/deeper is on $T/ro, which is mounted read-only" <<<"$output"
	refute grep -q "$T/rw is" <<<"$output"
	grep -q "error: setup: 3 paths the services write to are read-only (\[init\] data_root and writable_paths); nothing was started" <<<"$output"
	refute grep -q main-ran <<<"$output"
}

@test "preflight: on a read-only root filesystem (docker run --read-only) it says volume or tmpfs; mount_tmpfs paths are fine" {
	mkdir -p "$T/data" "$T/run"
	write_config <<EOF
$(quiet_setup | sed -e "s|^data_root =.*|data_root = $T/data|" -e "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
writable_paths = $T/run $T/state
$(service_s)
EOF
	# / read-only in this mount namespace only (a bind remount: the filesystem itself stays rw)
	run in_setup_ns "mount -o remount,bind,ro /" -c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 3 ]
	grep -q "error: setup: $T/data is on the container's read-only root filesystem (docker run --read-only), but dockerd writes there: mount a volume on it (docker run -v dind-data:$T/data)" <<<"$output"
	grep -q "error: setup: $T/state is on the container's read-only root filesystem (docker run --read-only), but a service writes there: mount a tmpfs (docker run --tmpfs $T/state, or \[init\] mount_tmpfs) or a volume on it" <<<"$output"
	# $T/run got its fresh tmpfs before the check
	grep -q "setup: mounted a fresh tmpfs on $T/run" <<<"$output"
	refute grep -q "error: setup: $T/run " <<<"$output"
	grep -q "2 paths the services write to are read-only" <<<"$output"
	refute grep -q main-ran <<<"$output"

	# preflight = no skips the check
	write_config <<EOF
$(quiet_setup | sed -e "s|^data_root =.*|data_root = $T/data|" -e "s|^runtime_dir =.*|runtime_dir = $T/run/rundir|" -e "s|^mount_tmpfs =.*|mount_tmpfs = $T/run|")
writable_paths = $T/state
preflight = no
$(service_s)
EOF
	run in_setup_ns "mount -o remount,bind,ro /" -c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx main-ran <<<"$output"
}

@test "iptables auto: DOCKER_IPTABLES_LEGACY set and not empty means legacy, set and empty nft (docker:dind's switch)" {
	fake_iptables 0 0
	iptables_config auto
	DOCKER_IPTABLES_LEGACY=1 PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'setup: iptables: using legacy (DOCKER_IPTABLES_LEGACY is set)' <<<"$output"
	grep -qx 'iptables-legacy -nL' <<<"$output"
	# empty: nft, even with legacy rules in place (the variable decides, not the detection)
	DOCKER_IPTABLES_LEGACY= PATH="$T/fakebin:$PATH" run in_setup_ns --net "/usr/sbin/iptables-legacy -A INPUT -j ACCEPT" \
		-c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	grep -q 'setup: iptables: using nft (DOCKER_IPTABLES_LEGACY is empty)' <<<"$output"
	grep -qx 'iptables-nft -nL' <<<"$output"
	# a configured mode still wins over the variable
	iptables_config nft
	DOCKER_IPTABLES_LEGACY=1 PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	grep -q 'using nft (configured)' <<<"$output"
}

# veth_route MTU: shell for in_setup_ns that gives the fresh network namespace a default route
# over an interface with that MTU
veth_route() {
	echo "ip link add v0 mtu $1 type veth peer name v1 mtu $1 && ip link set v0 up && ip link set v1 up &&
ip addr add 10.77.0.2/24 dev v0 && ip route add default via 10.77.0.1 dev v0"
}

mtu_config() {
	write_config <<EOF
$(quiet_setup)
$1
$(service_s)
EOF
}

@test "mtu: the default route's MTU below 1500 becomes DOCKER_MTU, logged in one line; 1500 leaves it unset" {
	command -v ip >/dev/null
	mtu_config ""
	run env -u DOCKER_MTU bash -c "$(declare -f in_setup_ns); DIND_INIT=$DIND_INIT in_setup_ns --net '$(veth_route 1400)' -c '$T/dind-init.ini' -- sh -c 'echo \"mtu=\$DOCKER_MTU\"'"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'mtu=1400' <<<"$output"
	[ "$(grep -c 'MTU' <<<"$output")" -eq 1 ]
	grep -q 'setup: MTU 1400 on v0 (the default route'"'"'s), below 1500: DOCKER_MTU=1400' <<<"$output"
	run env -u DOCKER_MTU bash -c "$(declare -f in_setup_ns); DIND_INIT=$DIND_INIT in_setup_ns --net '$(veth_route 1500)' -c '$T/dind-init.ini' -- sh -c 'echo \"mtu=\$DOCKER_MTU\"'"
	echo "$output"
	grep -qx 'mtu=' <<<"$output"
	refute grep -q 'MTU' <<<"$output"
	# mtu = no: not looked at
	mtu_config "mtu = no"
	run env -u DOCKER_MTU bash -c "$(declare -f in_setup_ns); DIND_INIT=$DIND_INIT in_setup_ns --net '$(veth_route 1400)' -c '$T/dind-init.ini' -- sh -c 'echo \"mtu=\$DOCKER_MTU\"'"
	grep -qx 'mtu=' <<<"$output"
}

@test "mtu: DOCKER_MTU given wins; a bad one exits 3 saying what an MTU is" {
	mtu_config ""
	DOCKER_MTU=1300 run in_setup_ns --net "$(veth_route 1400)" -c "$T/dind-init.ini" -- sh -c 'echo "mtu=$DOCKER_MTU"'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'mtu=1300' <<<"$output"
	grep -q 'setup: MTU 1300 (DOCKER_MTU) for dockerd and its networks' <<<"$output"
	for bad in abc 0 67 70000 1400x " 1400" +1400 -1; do
		DOCKER_MTU=$bad run in_setup_ns --net ':' -c "$T/dind-init.ini" -- true
		echo "$bad: $output"
		[ "$status" -eq 3 ]
		grep -q "setup: DOCKER_MTU='$bad' is not an MTU: give a number from 68 to 65535" <<<"$output"
		refute grep -q 'service s' <<<"$output"
	done
}

@test "mtu: DOCKER_MTU set but empty counts as unset, as for the args_if condition" {
	mtu_config ""
	DOCKER_MTU= run in_setup_ns --net "$(veth_route 1400)" -c "$T/dind-init.ini" -- sh -c 'echo "mtu=$DOCKER_MTU"'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'mtu=1400' <<<"$output"
}

@test "iptables auto: the check runs while independent services start; dependents and the main command wait for it" {
	mkdir -p "$T/fakebin"
	# iptables-nft that takes a while to answer and says when it did
	printf '#!/bin/sh\nsleep 1\necho nft-answered >>%s\nexit 0\n' "$EVENTS" >"$T/fakebin/iptables-nft"
	printf '#!/bin/sh\nexit 0\n' >"$T/fakebin/iptables-legacy"
	chmod +x "$T/fakebin/iptables-nft" "$T/fakebin/iptables-legacy"
	write_config <<EOF
$(quiet_setup | sed "s|^iptables =.*|iptables = auto|; s|^main_after = s|main_after = a, b|")
[service:a]
command = sh -c 'echo a-started >>$EVENTS; exec sleep 1000'
[service:b]
command = sh -c 'echo b-started >>$EVENTS; exec sleep 1000'
depends_on = a
EOF
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- sh -c 'echo main >>$EVENTS; iptables -nL'
	echo "$output"
	cat "$EVENTS"
	[ "$status" -eq 0 ]
	# a (no dependencies) starts before the answer; b (depends on a) and the main command after it
	[ "$(head -n 1 "$EVENTS")" = a-started ]
	in_order "$EVENTS" a-started nft-answered b-started
	in_order "$EVENTS" a-started nft-answered main
	grep -q 'setup: iptables: using nft (iptables-nft works)' <<<"$output"
	# the main command's iptables is the chosen one: it ran the fake iptables-nft again
	[ "$(grep -c nft-answered "$EVENTS")" -eq 2 ]
}

@test "iptables auto: a check that does not answer is killed after its time limit, then legacy is tried" {
	mkdir -p "$T/fakebin"
	printf '#!/bin/sh\nexec sleep 60\n' >"$T/fakebin/iptables-nft"
	printf '#!/bin/sh\necho "legacy $*"\nexit 0\n' >"$T/fakebin/iptables-legacy"
	chmod +x "$T/fakebin/iptables-nft" "$T/fakebin/iptables-legacy"
	iptables_config auto
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$T/log"
	in_order "$T/log" 'iptables-nft -nL did not answer within 5000 ms; killing it' \
		'setup: iptables: using legacy (iptables-nft does not work, iptables-legacy does)' '^legacy -nL'
}

@test "iptables auto: an independent service that runs iptables during the check gets the chosen backend, not the system's" {
	mkdir -p "$T/fakebin"
	# the distro's default iptables, which the check may reject, and an nft that answers late
	printf '#!/bin/sh\necho "SYSTEM $*" >>%s\n' "$EVENTS" >"$T/fakebin/iptables"
	printf '#!/bin/sh\nsleep 1\necho "nft-answered $*" >>%s\nexit 0\n' "$EVENTS" >"$T/fakebin/iptables-nft"
	printf '#!/bin/sh\necho "legacy $*" >>%s\nexit 0\n' "$EVENTS" >"$T/fakebin/iptables-legacy"
	chmod +x "$T/fakebin/iptables" "$T/fakebin/iptables-nft" "$T/fakebin/iptables-legacy"
	# fw depends on nothing (a firewall oneshot, a dockerd that runs its own containerd)
	write_config <<EOF2
$(quiet_setup | sed "s|^iptables =.*|iptables = auto|; s|^main_after = s|main_after = fw|")
[service:fw]
type = oneshot
command = sh -c 'echo fw-started >>$EVENTS; iptables -t nat -nL'
EOF2
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- sh -c 'echo main >>$EVENTS'
	echo "$output"
	cat "$EVENTS"
	[ "$status" -eq 0 ]
	# fw ran its iptables while the check ran; it got iptables-nft once the check chose it
	in_order "$EVENTS" fw-started '^nft-answered -nL$' '^nft-answered -t nat -nL$' '^main$'
	! grep -q SYSTEM "$EVENTS"
	! grep -q legacy "$EVENTS"
	grep -q 'setup: iptables: using nft (iptables-nft works)' <<<"$output"
}

@test "iptables auto: the links a previous run left in a kept runtime_dir are never used" {
	mkdir -p "$T/fakebin" "$T/rundir/iptables"
	printf '#!/bin/sh\necho "SYSTEM $*"\n' >"$T/fakebin/iptables"
	chmod +x "$T/fakebin/iptables"
	# the previous run chose nft for every tool; now neither backend works
	fake_iptables 1 1
	for tool in iptables iptables-save ip6tables; do
		ln -s "$T/fakebin/$(sed 's/^\(ip6*tables\)/\1-nft/' <<<"$tool")" "$T/rundir/iptables/$tool"
	done
	write_config <<EOF2
$(quiet_setup | sed "s|^iptables =.*|iptables = auto|; s|^main_after = s|main_after = fw|")
[service:fw]
type = oneshot
command = sh -c 'iptables -t filter -nL; echo "save=\$(command -v iptables-save)"'
EOF2
	PATH="$T/fakebin:/usr/bin:/bin" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- sh -c 'iptables -nL; echo "ip6=$(command -v ip6tables)"'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'neither iptables-nft nor iptables-legacy works here' <<<"$output"
	# the service started during the check and the main command both get the system's
	grep -qx '\[fw\] SYSTEM -t filter -nL' <<<"$output"
	grep -qx '\[fw\] save=' <<<"$output"
	grep -qx 'SYSTEM -nL' <<<"$output"
	grep -qx 'ip6=' <<<"$output"
	! grep -q 'iptables-nft' <<<"$output"
	# nothing is left in the folder that names a backend
	! ls "$T/rundir/iptables" | grep -q ip
}

@test "iptables auto: the links a previous run left are replaced when the chosen backend lacks a tool" {
	mkdir -p "$T/fakebin" "$T/rundir/iptables"
	printf '#!/bin/sh\necho "SYSTEM-SAVE $*"\n' >"$T/fakebin/iptables-save"
	chmod +x "$T/fakebin/iptables-save"
	fake_iptables 0 0
	rm "$T/fakebin/iptables-nft-save"
	# the previous run chose legacy (DOCKER_IPTABLES_LEGACY), this one nft, which has no -save here
	ln -s "$T/fakebin/iptables-legacy-save" "$T/rundir/iptables/iptables-save"
	iptables_config nft
	# a PATH without the host's /usr/sbin, whose iptables-nft-save would be found
	PATH="$T/fakebin:/usr/bin:/bin" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- sh -c 'iptables -nL; iptables-save'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	grep -qx 'SYSTEM-SAVE ' <<<"$output"
	! grep -q legacy <<<"$output"
}

@test "iptables auto: during the check, dind-ctl start and status say the service waits for the iptables check" {
	mkdir -p "$T/fakebin"
	ctl_link
	# checks that answer only once the service q has asked dind-ctl (legacy too: a slow q may
	# outlast the nft check's time limit)
	printf '#!/bin/sh\nfor i in $(seq 600); do [ -e %s/go ] && exit 0; sleep 0.05; done\nexit 0\n' "$T" >"$T/fakebin/iptables-nft"
	cp "$T/fakebin/iptables-nft" "$T/fakebin/iptables-legacy"
	chmod +x "$T/fakebin/iptables-nft" "$T/fakebin/iptables-legacy"
	write_config <<EOF2
$(quiet_setup | sed "s|^iptables =.*|iptables = auto|; s|^control_socket =.*|control_socket = $T/ctl.sock|; s|^main_after = s|main_after = dockerd|")
[service:a]
command = sleep 1000
[service:dockerd]
command = sleep 1000
depends_on = a
[service:q]
type = oneshot
command = $T/q
EOF2
	# q asks once a is ready (dockerd's dependency), then lets the check answer
	service_script q "for i in \$(seq 200); do $T/dind-ctl status a | grep -q '^a  *ready' && break; sleep 0.05; done
$T/dind-ctl start dockerd >$T/ctl.out 2>&1
$T/dind-ctl status >>$T/ctl.out 2>&1
touch $T/go"
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- true
	echo "$output"
	cat "$T/ctl.out"
	[ "$status" -eq 0 ]
	grep -qx 'dockerd waits for the iptables check' "$T/ctl.out"
	grep -Eq '^dockerd +waiting .* waits for the iptables check$' "$T/ctl.out"
	grep -Eq '^a +ready ' "$T/ctl.out"
	! grep -q 'a .*waits for' "$T/ctl.out"
}

@test "dind-init started as iptables without its environment is a usage error, not the shim" {
	ln -s "$DIND_INIT" "$T/iptables"
	run env -u DIND_INIT_IPTABLES_DIR "$T/iptables" -nL
	echo "$output"
	[ "$status" -eq 2 ]
	grep -q 'started as iptables without \$DIND_INIT_IPTABLES_DIR' <<<"$output"
	grep -q 'run iptables-nft or iptables-legacy' <<<"$output"
	# ip6tables-save: the backends' names put the mode before the suffix
	ln -s "$DIND_INIT" "$T/ip6tables-save"
	run env -u DIND_INIT_IPTABLES_DIR "$T/ip6tables-save"
	[ "$status" -eq 2 ]
	grep -q 'run ip6tables-nft-save or ip6tables-legacy-save' <<<"$output"
}

@test "iptables auto: a symlink at RUNTIME_DIR/iptables is replaced by a folder, never followed: what it points at stays" {
	fake_iptables 0 0
	mkdir -p "$T/rundir" "$T/victim/sub"
	echo precious >"$T/victim/a"
	echo precious >"$T/victim/sub/b"
	ln -s "$T/victim" "$T/rundir/iptables"
	iptables_config auto
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	[ "$(cat "$T/victim/a")" = precious ]
	[ "$(cat "$T/victim/sub/b")" = precious ]
	[ "$(ls -A "$T/victim" | tr '\n' ' ')" = "a sub " ]
	[ ! -L "$T/rundir/iptables" ] && [ -d "$T/rundir/iptables" ]
}

@test "iptables auto: a RUNTIME_DIR/iptables another user made (or can write to) becomes root's own before any link is made" {
	fake_iptables 0 0
	mkdir -p "$T/rundir/iptables"
	chown 65534 "$T/rundir/iptables"
	chmod 0777 "$T/rundir/iptables"
	iptables_config auto
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	[ "$(stat -c '%u %a' "$T/rundir/iptables")" = "0 755" ]
}

@test "runtime_dir that is a symlink, another user's, or writable by others: exit 3 naming it and the fix, nothing starts" {
	fake_iptables 0 0
	mkdir -p "$T/elsewhere"
	for bad in symlink owner mode; do
		rm -rf "$T/rundir"
		case $bad in
		symlink) ln -s "$T/elsewhere" "$T/rundir" ; why='is a symlink' ;;
		owner) mkdir "$T/rundir" && chown 65534 "$T/rundir" ; why='is owned by another user' ;;
		mode) mkdir "$T/rundir" && chmod 0777 "$T/rundir" ; why='is writable by its group or by others' ;;
		esac
		# the iptables links (the setup) ...
		iptables_config auto
		PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- echo MAIN-RAN
		echo "$output"
		[ "$status" -eq 3 ]
		grep -q "runtime_dir $T/rundir $why.*put \[init\] runtime_dir on a folder of root's own, e.g. /run/dind-init" <<<"$output"
		! grep -q MAIN-RAN <<<"$output"
		[ ! -e "$T/elsewhere/iptables" ]
		# ... and the notify sockets (no setup)
		printf '[init]\nruntime_dir = %s\ncontrol_socket = none\n[service:n]\ncommand = sleep 1000\nready = notify\n' \
			"$T/rundir" | write_config
		run in_ns -c "$T/dind-init.ini" -- echo MAIN-RAN
		echo "$output"
		[ "$status" -eq 3 ]
		grep -q "runtime_dir $T/rundir $why.*put \[init\] runtime_dir on a folder of root's own" <<<"$output"
		! grep -q MAIN-RAN <<<"$output"
		[ ! -e "$T/elsewhere/n.notify" ]
	done
}

@test "runtime_dir in a folder others can write to without the sticky bit: a warning naming it; with the sticky bit none" {
	fake_iptables 0 0
	mkdir -p "$T/shared"
	chmod 0777 "$T/shared"
	iptables_config auto
	sed -i "s|^runtime_dir = .*|runtime_dir = $T/shared/dind-init|" "$T/dind-init.ini"
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	[ "$(grep -c "runtime_dir's parent $T/shared is writable by others without the sticky bit (a shared volume?): whoever can write there can replace dind-init's sockets and links" <<<"$output")" -eq 1 ]

	chmod 1777 "$T/shared"
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	! grep -q "sticky" <<<"$output"

	# notify sockets only (no setup): the same warning
	chmod 0777 "$T/shared"
	printf '[init]\nruntime_dir = %s\ncontrol_socket = none\n[service:n]\ncommand = %s\nready = notify\n' \
		"$T/shared/n" "$HELPERS/notifier" | write_config
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "runtime_dir's parent $T/shared is writable by others without the sticky bit" <<<"$output"

	# both the iptables links and notify sockets there: still one warning
	write_config <<EOF2
$(quiet_setup | sed "s|^iptables =.*|iptables = auto|; s|^runtime_dir = .*|runtime_dir = $T/shared/both|; s|^main_after = s|main_after = n|")
[service:n]
command = $HELPERS/notifier
ready = notify
EOF2
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	[ "$(grep -c "runtime_dir's parent $T/shared is writable by others without the sticky bit" <<<"$output")" -eq 1 ]
}

@test "iptables auto: a PATH longer than 4096 bytes is kept whole behind the links folder" {
	fake_iptables 0 0
	iptables_config auto
	long=$(for i in $(seq 250); do printf '/nonexistent/folder-%03d:' "$i"; done)
	[ "${#long}" -gt 4096 ]
	PATH="$long$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- sh -c 'iptables -nL; echo "tail=${PATH##*/folder-250:}"'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	grep -qx "tail=$T/fakebin:$PATH" <<<"$output"
	! grep -q 'executing sleep failed' <<<"$output"
}

@test "iptables auto: a service with its own environment = PATH=... gets the links folder first in it too" {
	fake_iptables 0 0
	write_config <<EOF2
$(quiet_setup | sed "s|^iptables =.*|iptables = auto|; s|^main_after = s|main_after = fw|")
[service:fw]
type = oneshot
environment = PATH=$T/fakebin:/usr/bin:/bin
command = sh -c 'echo "ipt=\$(command -v iptables)"; echo "path=\$PATH"; iptables -nL'
EOF2
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx "\[fw\] ipt=$T/rundir/iptables/iptables" <<<"$output"
	grep -qx "\[fw\] path=$T/rundir/iptables:$T/fakebin:/usr/bin:/bin" <<<"$output"
	grep -qx '\[fw\] iptables-nft -nL' <<<"$output"
}

@test "iptables auto: an empty folder left in RUNTIME_DIR/iptables goes; a full one is named, with remove it" {
	fake_iptables 0 0
	mkdir -p "$T/rundir/iptables/empty"
	iptables_config auto
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- iptables -nL
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 'iptables-nft -nL' <<<"$output"
	[ ! -e "$T/rundir/iptables/empty" ]

	mkdir -p "$T/rundir/iptables/full"
	echo keep >"$T/rundir/iptables/full/x"
	PATH="$T/fakebin:$PATH" run in_setup_ns --net ':' -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "cannot prepare $T/rundir/iptables.*it holds a folder $T/rundir/iptables/full that is not empty (not dind-init's: remove it)" <<<"$output"
	! grep -q 'make \[init\] runtime_dir writable' <<<"$output"
	[ "$(cat "$T/rundir/iptables/full/x")" = keep ]
}
