#!/usr/bin/env bats
# rootless = yes: the preparation (XDG_RUNTIME_DIR, /dev/net/tun, the data folder) and the
# preflight of rootless dockerd. Each test runs dind-init as PID 1 of fresh PID and mount
# namespaces, in a container that has everything rootless needs (a user rl, its subordinate ids,
# newuidmap and newgidmap with their file capabilities, rootlesskit, slirp4netns and ip, all
# fakes but the capabilities), then takes one thing away and expects its message and exit 3.
# What it replaces of the host (/etc/passwd, /etc/subuid, /dev/net, ...) it bind-mounts over in
# its own mount namespace: the host's files are never touched.

load common

RL_UID=4242

setup() {
	if [ "$(id -u)" != 0 ]; then
		echo "integration tests need root (PID namespaces)" >&2
		return 1
	fi
	T=$(mktemp -d /tmp/dind-init-test.XXXXXX)
	EVENTS="$T/events"
	: >"$EVENTS"
	export T EVENTS
	export DIND_INIT_CONFIG=/dev/null
	# rl must reach its folders below $T
	chmod 0755 "$T"
	mkdir -p "$T/bin" "$T/etc" "$T/xdg" "$T/data"
	chmod 0755 "$T/xdg"
	{ cat /etc/passwd; echo "rl:x:$RL_UID:$RL_UID:rootless test:/nonexistent:/bin/sh"; } >"$T/etc/passwd"
	{ cat /etc/group; echo "rl:x:$RL_UID:"; } >"$T/etc/group"
	echo 'rl:100000:65536' >"$T/etc/subuid"
	echo 'rl:100000:65536' >"$T/etc/subgid"
	cp /bin/true "$T/bin/newuidmap"
	cp /bin/true "$T/bin/newgidmap"
	setcap cap_setuid=ep "$T/bin/newuidmap"
	setcap cap_setgid=ep "$T/bin/newgidmap"
	printf '#!/bin/sh\nexit 0\n' >"$T/bin/rootlesskit"
	cp "$T/bin/rootlesskit" "$T/bin/slirp4netns"
	chmod 0755 "$T/bin/rootlesskit" "$T/bin/slirp4netns"
	ln -s "$(command -v ip)" "$T/bin/ip"
	EXTRA_PREP=:
	EXTRA_CONFIG=
	WRAP=
}

# rl_config: a config whose one service is rootless dockerd as rl (a sleep), with every setup
# step away from the host; $EXTRA_CONFIG goes into [service:dockerd]
rl_config() {
	write_config <<EOF
[init]
runtime_dir = $T/rundir
control_socket = none
mount_tmpfs =
stale_files =
cgroups = no
iptables = no
securityfs = no
sys_rw = no
make_rshared = no
data_root = $T/data
main_after = dockerd

[service:dockerd]
command = sleep 1000
user = rl
rootless = yes
environment = XDG_RUNTIME_DIR=$T/xdg/run
environment = PATH=${RL_PATH:-$T/bin:/usr/bin:/bin}
$EXTRA_CONFIG
EOF
}

# run_rl: dind-init as PID 1 in new namespaces, after the world of setup() is mounted in and
# $EXTRA_PREP ran; $WRAP (a command prefix) runs dind-init. Output in $output, $status.
run_rl() {
	rl_config
	local prep="
set -e
for f in passwd group subuid subgid; do
	[ -e /etc/\$f ] || { cp -a /etc $T/etc-all && mount --bind $T/etc-all /etc; }
done
for f in passwd group subuid subgid; do mount --bind $T/etc/\$f /etc/\$f; done
# /dev/net/tun of our own: a fresh /dev/net, where dind-init makes the device
[ -d /dev/net ] && mount -t tmpfs -o mode=0755 dind-init-test-tun /dev/net
$EXTRA_PREP
"
	run timeout --kill-after=5 60 unshare --pid --fork --kill-child --mount-proc \
		sh -c "$prep"'
exec '"$WRAP"' "$0" "$@"' "$DIND_INIT" -c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
}

# expect_missing N MESSAGE: exit 3 with MESSAGE on a "preflight: rootless:" line, N things
# missing in the summary, and nothing started
expect_missing() {
	[ "$status" -eq 3 ]
	grep -F "preflight: rootless: " <<<"$output" | grep -qF -- "$2"
	grep -q "preflight: rootless: $1 of the things rootless dockerd needs [a-z]* missing (see above); nothing was started" <<<"$output"
	refute grep -q main-ran <<<"$output"
}

@test "rootless: with everything there, the runtime folder and /dev/net/tun are made, the empty data folder given to the user, and it starts" {
	chown 0:0 "$T/data"
	run_rl
	[ "$status" -eq 0 ]
	grep -qx main-ran <<<"$output"
	grep -q "setup: rootless: made $T/xdg/run for rl (XDG_RUNTIME_DIR, mode 0700)" <<<"$output"
	grep -q "setup: rootless: made /dev/net/tun (c 10:200) for slirp4netns" <<<"$output"
	grep -q "setup: rootless: $T/data (empty) now belongs to rl" <<<"$output"
	grep -q "preflight: rootless: ready for \[service:dockerd\] as rl (uid $RL_UID)" <<<"$output"
	[ "$(stat -c '%u %a' "$T/xdg/run")" = "$RL_UID 700" ]
	[ "$(stat -c '%u' "$T/data")" = "$RL_UID" ]
	# the host's /dev/net/tun is as it was
	refute grep -q "mode 0666 (was" <<<"$output"
}

@test "rootless: XDG_RUNTIME_DIR defaults to /run/user/UID, put into the service's environment" {
	mkdir -m 0777 "$T/shared"
	EXTRA_CONFIG="type = oneshot
command = sh -c 'echo \"xdg=\$XDG_RUNTIME_DIR\" >$T/shared/env'"
	rl_config
	sed -i '/^environment = XDG_RUNTIME_DIR/d; /^command = sleep 1000$/d' "$T/dind-init.ini"
	EXTRA_PREP="mount -t tmpfs -o mode=0755 run /run"
	# run_rl writes the config again: keep this one
	rl_config() { :; }
	run_rl
	[ "$status" -eq 0 ]
	grep -q "setup: rootless: made /run/user/$RL_UID for rl" <<<"$output"
	grep -qx "xdg=/run/user/$RL_UID" "$T/shared/env"
}

@test "rootless: /dev/net/tun of mode 0600 gets 0666 (one line), and it starts" {
	EXTRA_PREP="mknod -m 0600 /dev/net/tun c 10 200"
	run_rl
	[ "$status" -eq 0 ]
	grep -q "setup: rootless: /dev/net/tun: mode 0666 (was 0600), for slirp4netns as rl" <<<"$output"
}

@test "rootless: a symbolic link at data_root is not followed as root: its target keeps its owner, and the link is named" {
	mkdir "$T/victim"
	rmdir "$T/data"
	ln -s "$T/victim" "$T/data"
	run_rl
	expect_missing 1 "dockerd's data folder $T/data is a symbolic link (to $T/victim), which dind-init does not follow as root: set [init] data_root to the folder itself"
	grep -q "setup: rootless: $T/data (data_root) is a symbolic link: not followed as root" <<<"$output"
	refute grep -q "now belongs to rl" <<<"$output"
	[ "$(stat -c %u "$T/victim")" = 0 ]
}

@test "rootless: a symbolic link at XDG_RUNTIME_DIR is refused, even to a folder of the user's" {
	mkdir -m 0700 "$T/victim"
	chown "$RL_UID" "$T/victim"
	ln -s "$T/victim" "$T/xdg/run"
	run_rl
	expect_missing 1 "rl's runtime folder $T/xdg/run (XDG_RUNTIME_DIR) is a symbolic link (to $T/victim), which dind-init does not follow as root: set XDG_RUNTIME_DIR to the folder itself"
	grep -q "setup: rootless: $T/xdg/run (rl's XDG_RUNTIME_DIR) is a symbolic link: not followed as root" <<<"$output"
}

@test "rootless: a symbolic link on the way to XDG_RUNTIME_DIR or data_root, in a folder others can write to without the sticky bit, is not followed as root" {
	mkdir -p "$T/target" "$T/target2"
	mkdir "$T/sh2"
	chmod 0777 "$T/sh2"
	ln -s "$T/target" "$T/sh2/user"
	ln -s "$T/target2" "$T/sh2/d"
	rl_config
	sed -i "s|^environment = XDG_RUNTIME_DIR=.*|environment = XDG_RUNTIME_DIR=$T/sh2/user/$RL_UID|; s|^data_root = .*|data_root = $T/sh2/d/data|" "$T/dind-init.ini"
	rl_config() { :; }
	run_rl
	[ "$status" -eq 3 ]
	refute grep -q main-ran <<<"$output"
	grep -q "setup: rootless: $T/sh2/user/$RL_UID, rl's XDG_RUNTIME_DIR, not made: a folder on the way is a symbolic link in a folder others can write to without the sticky bit, not followed as root" <<<"$output"
	grep -q "setup: rootless: $T/sh2/d/data (data_root) not made: a folder on the way is a symbolic link in a folder others can write to without the sticky bit" <<<"$output"
	[ ! -e "$T/target/$RL_UID" ]
	[ ! -e "$T/target2/data" ]
}

@test "rootless: /dev/net/tun that is a symbolic link or another device is not chmodded, and named" {
	mknod -m 0600 "$T/victim" c 10 200
	EXTRA_PREP="ln -s $T/victim /dev/net/tun"
	run_rl
	expect_missing 1 "/dev/net/tun is not the tun device (a character device 10:200) but a symbolic link, which slirp4netns cannot use: run with --device /dev/net/tun"
	[ "$(stat -c %a "$T/victim")" = 600 ]
	refute grep -q "mode 0666 (was" <<<"$output"
	# docker run --device /dev/null:/dev/net/tun: another device, left as it is
	EXTRA_PREP="mknod -m 0600 /dev/net/tun c 1 3"
	run_rl
	expect_missing 1 "/dev/net/tun is not the tun device (a character device 10:200) but the character device 1:3, which slirp4netns cannot use: run with --device /dev/net/tun"
	refute grep -q "mode 0666 (was" <<<"$output"
}

@test "rootless preflight: no subordinate ids in /etc/subuid" {
	: >"$T/etc/subuid"
	run_rl
	expect_missing 1 "rl has no subordinate ids in /etc/subuid, which newuidmap maps into its user namespace: add a range (echo 'rl:100000:65536' >>/etc/subuid)"
}

@test "rootless preflight: no subordinate ids in /etc/subgid; a range given by uid counts; fewer than 65536 is a warning" {
	echo "someone:100000:65536" >"$T/etc/subgid"
	echo "$RL_UID:100000:1000" >"$T/etc/subuid"
	run_rl
	expect_missing 1 "rl has no subordinate ids in /etc/subgid"
	grep -q "rl has only 1000 subordinate ids in /etc/subuid: images with ids above 999 cannot be pulled" <<<"$output"
}

@test "rootless preflight: a FIFO at /etc/subuid is named, not opened and waited on" {
	mkfifo "$T/fifo"
	EXTRA_PREP="mount --bind $T/fifo /etc/subuid"
	run_rl
	expect_missing 1 "/etc/subuid is a FIFO, not a regular file: newuidmap reads rl's subordinate ids there"
}

@test "rootless preflight: /etc/subuid past 64 KiB with the user last, a CRLF line, and an impossible range" {
	# 3000 users before rl: about 80 KiB
	for i in $(seq 1 3000); do echo "user$i:$((100000 + i * 65536)):65536"; done >"$T/etc/subuid"
	echo 'rl:300000000:65536' >>"$T/etc/subuid"
	printf 'rl:100000:65536\r\n' >"$T/etc/subgid"
	[ "$(stat -c %s "$T/etc/subuid")" -gt 65536 ]
	run_rl
	[ "$status" -eq 0 ]
	refute grep -q "subordinate ids" <<<"$output"
	# a range past the last id (4294967294) is ignored, with a warning
	echo 'rl:4294967295:65536' >"$T/etc/subgid"
	run_rl
	expect_missing 1 "rl has no subordinate ids in /etc/subgid"
	grep -q "preflight: rootless: 1 of rl's ranges in /etc/subgid go past the last id (4294967294) and are ignored" <<<"$output"
	# past the 4 MiB dind-init reads: said, not "no subordinate ids ... add a range"
	echo 'rl:100000:65536' >"$T/etc/subgid"
	{ yes '# a comment line to fill the file past what dind-init reads' | head -c 5000000; echo 'rl:100000:65536'; } >"$T/etc/subuid"
	run_rl
	expect_missing 1 "rl has no subordinate ids in the first 4 MiB of /etc/subuid, all that dind-init reads: put rl's line near the top of it"
}

@test "rootless preflight: newuidmap and newgidmap missing" {
	rm "$T/bin/newuidmap" "$T/bin/newgidmap"
	run_rl
	expect_missing 2 "newuidmap is missing (RootlessKit runs it to map rl's subordinate ids): install it (apt-get install uidmap)"
	grep -q "newgidmap is missing" <<<"$output"
}

@test "rootless preflight: newuidmap with neither the file capability nor the setuid bit" {
	setcap -r "$T/bin/newuidmap"
	run_rl
	expect_missing 1 "$T/bin/newuidmap has neither the file capability cap_setuid nor the setuid bit: setcap cap_setuid=ep $T/bin/newuidmap"
}

@test "rootless preflight: newgidmap setuid root without CAP_SYS_ADMIN is named, with the file capability to use" {
	setcap -r "$T/bin/newgidmap"
	chmod 4755 "$T/bin/newgidmap"
	WRAP='setpriv --bounding-set -sys_admin --inh-caps -sys_admin'
	run_rl
	expect_missing 1 "$T/bin/newgidmap is setuid root, which needs CAP_SYS_ADMIN to write a user namespace's id map, and this container lacks it: give it the file capability instead (chmod u-s $T/bin/newgidmap && setcap cap_setgid=ep $T/bin/newgidmap)"
	# with CAP_SYS_ADMIN, setuid root is fine
	WRAP=
	run_rl
	[ "$status" -eq 0 ]
}

@test "rootless preflight: newuidmap setuid root AND with the file capability, without CAP_SYS_ADMIN, is named" {
	chmod 4755 "$T/bin/newuidmap"
	getcap "$T/bin/newuidmap" | grep -q cap_setuid
	WRAP='setpriv --bounding-set -sys_admin --inh-caps -sys_admin'
	run_rl
	expect_missing 1 "$T/bin/newuidmap is setuid root, which needs CAP_SYS_ADMIN to write a user namespace's id map, and this container lacks it"
}

@test "rootless preflight: a file capability that is permitted but not effective (=p) is named" {
	setcap cap_setgid=p "$T/bin/newgidmap"
	run_rl
	expect_missing 1 "$T/bin/newgidmap has the file capability cap_setgid permitted but not effective (=p instead of =ep), so newgidmap runs without it: setcap cap_setgid=ep $T/bin/newgidmap"
}

@test "rootless preflight: newuidmap on a nosuid mount" {
	mkdir "$T/nosuid"
	EXTRA_PREP="mount -t tmpfs -o nosuid,mode=0755 ns $T/nosuid && cp -a $T/bin/newuidmap $T/nosuid/ && setcap cap_setuid=ep $T/nosuid/newuidmap && rm $T/bin/newuidmap && ln -s $T/nosuid/newuidmap $T/bin/newuidmap"
	run_rl
	expect_missing 1 "$T/bin/newuidmap is on a nosuid mount, where its file capability and setuid bit do not count"
}

@test "rootless preflight: CAP_SETUID and CAP_SETGID dropped from the bounding set" {
	WRAP='setpriv --bounding-set -setuid,-setgid'
	run_rl
	expect_missing 2 "the container lacks CAP_SETUID, which newuidmap needs: do not --cap-drop SETUID"
	grep -q "the container lacks CAP_SETGID, which newgidmap needs: do not --cap-drop SETGID" <<<"$output"
	# without them dind-init cannot become rl: what it would check as rl is said to be skipped
	grep -q "preflight: rootless: the checks as rl (/dev/net/tun, $T/xdg/run, $T/data, a user namespace) are skipped" <<<"$output"
}

@test "rootless preflight: no-new-privileges (docker run --security-opt no-new-privileges) is named" {
	WRAP='setpriv --no-new-privs'
	run_rl
	expect_missing 1 "the container runs with no-new-privileges (docker run --security-opt no-new-privileges, Kubernetes allowPrivilegeEscalation: false): newuidmap and newgidmap cannot use their file capabilities; run without it"
}

@test "rootless preflight: CAP_KILL dropped (root could not signal the user's services) is named" {
	WRAP='setpriv --bounding-set -kill --inh-caps -kill'
	run_rl
	expect_missing 1 "the container lacks CAP_KILL, which dind-init needs to signal rl's services (they run as rl: every stop would time out, and end in exit 137): do not --cap-drop KILL"
}

@test "rootless preflight: CAP_CHOWN dropped: the failed chown is named as such, the empty data folder as empty, and the capability" {
	chown 0:0 "$T/data"
	WRAP='setpriv --bounding-set -chown --inh-caps -chown'
	run_rl
	expect_missing 2 "rl's runtime folder $T/xdg/run (XDG_RUNTIME_DIR) was made, but its chown to rl failed (Operation not permitted): the container lacks CAP_CHOWN: do not --cap-drop CHOWN"
	grep -q "preflight: rootless: dockerd's data folder $T/data is empty but belongs to uid 0, not to rl (uid $RL_UID), and its chown to rl failed (Operation not permitted): the container lacks CAP_CHOWN: do not --cap-drop CHOWN" <<<"$output"
	grep -q "setup: rootless: chown of $T/xdg/run, rl's XDG_RUNTIME_DIR, failed: Operation not permitted" <<<"$output"
	refute grep -q "cannot make $T/xdg/run" <<<"$output"
	refute grep -q "is not empty" <<<"$output"
}

@test "rootless preflight: user namespaces off (max_user_namespaces 0)" {
	echo 0 >"$T/max"
	EXTRA_PREP="mount --bind $T/max /proc/sys/user/max_user_namespaces"
	run_rl
	# the bind mount is below /proc, so /proc counts as masked too
	expect_missing 2 "user namespaces are off: /proc/sys/user/max_user_namespaces is 0; on the host: sysctl -w user.max_user_namespaces=28633"
	grep -q "parts of /proc are masked (/proc/sys/user/max_user_namespaces is mounted over)" <<<"$output"
}

@test "rootless preflight: the user cannot make a user namespace (seccomp): the flags to run with" {
	WRAP="$HELPERS/deny_unshare"
	run_rl
	expect_missing 1 "rl cannot make a user namespace (Operation not permitted): the container's seccomp or AppArmor profile forbids it: run with --security-opt seccomp=unconfined --security-opt apparmor=unconfined"
}

@test "rootless preflight: kernel.unprivileged_userns_clone 0 (Debian's old switch), where it exists" {
	# This kernel has no such sysctl: a tmpfs over /proc/sys/kernel holds one (it is a mount
	# below /proc, so /proc counts as masked too)
	EXTRA_PREP="mount -t tmpfs k /proc/sys/kernel && echo 0 >/proc/sys/kernel/unprivileged_userns_clone"
	run_rl
	expect_missing 2 "unprivileged user namespaces are off: kernel.unprivileged_userns_clone is 0; on the host: sysctl -w kernel.unprivileged_userns_clone=1"
}

@test "rootless preflight: a user namespace refused while kernel.apparmor_restrict_unprivileged_userns is 1 names that sysctl" {
	EXTRA_PREP="mount -t tmpfs k /proc/sys/kernel && echo 1 >/proc/sys/kernel/apparmor_restrict_unprivileged_userns"
	WRAP="$HELPERS/deny_unshare"
	run_rl
	expect_missing 2 "rl cannot make a user namespace (Operation not permitted): the host's AppArmor restricts them (kernel.apparmor_restrict_unprivileged_userns = 1): on the host, sysctl -w kernel.apparmor_restrict_unprivileged_userns=0, or run the container with --security-opt apparmor=unconfined"
}

@test "rootless preflight: /proc masked (docker's default masks): systempaths=unconfined" {
	EXTRA_PREP="mount --bind /dev/null /proc/interrupts"
	run_rl
	expect_missing 1 "parts of /proc are masked (/proc/interrupts is mounted over), so nested containers cannot mount their /proc: run with --security-opt systempaths=unconfined"
}

@test "rootless preflight: /dev/net/tun missing and not makeable" {
	# a read-only /dev/net: dind-init cannot make the device there
	EXTRA_PREP="mount -o remount,ro /dev/net"
	run_rl
	expect_missing 1 "/dev/net/tun is missing, which slirp4netns needs, and could not be made here: run with --device /dev/net/tun"
	# DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host needs no tun (nor slirp4netns)
	EXTRA_CONFIG="environment = DOCKERD_ROOTLESS_ROOTLESSKIT_NET=host"
	run_rl
	[ "$status" -eq 0 ]
}

@test "rootless preflight: /dev/net/tun that the user cannot open" {
	# a device node the kernel refuses to open: on a nodev mount
	EXTRA_PREP="mount -o remount,nodev /dev/net && mknod -m 0666 /dev/net/tun c 10 200"
	run_rl
	expect_missing 1 "rl cannot open /dev/net/tun (Permission denied), which slirp4netns needs: run with --device /dev/net/tun"
}

@test "rootless preflight: rootlesskit, the network driver and ip missing from PATH" {
	rm "$T/bin/rootlesskit" "$T/bin/slirp4netns" "$T/bin/ip"
	# only the test's folder: the host's ip may be in /usr/bin too (merged /usr)
	RL_PATH=$T/bin
	run_rl
	expect_missing 3 "rootlesskit is missing from PATH ($T/bin): install it (apt-get install rootlesskit)"
	grep -q "ip is missing from PATH ($T/bin): install it (apt-get install iproute2)" <<<"$output"
	grep -q "slirp4netns, RootlessKit's network driver, is missing from PATH" <<<"$output"
	# another driver is looked for by its name
	touch "$T/bin/rootlesskit" "$T/bin/ip"
	chmod +x "$T/bin/rootlesskit" "$T/bin/ip"
	EXTRA_CONFIG="environment = DOCKERD_ROOTLESS_ROOTLESSKIT_NET=pasta"
	run_rl
	expect_missing 1 "pasta, RootlessKit's network driver, is missing from PATH ($T/bin): install it (apt-get install passt), or choose another with DOCKERD_ROOTLESS_ROOTLESSKIT_NET"
	# vpnkit is no Debian package
	EXTRA_CONFIG="environment = DOCKERD_ROOTLESS_ROOTLESSKIT_NET=vpnkit"
	run_rl
	expect_missing 1 "vpnkit, RootlessKit's network driver, is missing from PATH ($T/bin): vpnkit is not packaged in Debian: put its binary in PATH (github.com/moby/vpnkit)"
	refute grep -q "apt-get install vpnkit" <<<"$output"
}

@test "rootless preflight: the network driver where RootlessKit finds it: lxc's folder (lxc-user-nic), or --NET-binary in DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS" {
	# Debian's lxc puts lxc-user-nic in lxc's own folder, not in PATH
	EXTRA_CONFIG="environment = DOCKERD_ROOTLESS_ROOTLESSKIT_NET=lxc-user-nic"
	EXTRA_PREP="mount -t tmpfs lxc /usr/libexec && mkdir /usr/libexec/lxc && cp /bin/true /usr/libexec/lxc/lxc-user-nic"
	run_rl
	[ "$status" -eq 0 ]
	# not there either: named, with its package
	EXTRA_PREP="mount -t tmpfs lxc /usr/libexec"
	run_rl
	expect_missing 1 "lxc-user-nic, RootlessKit's network driver, is missing from PATH ($T/bin:/usr/bin:/bin) and from lxc's folders (/usr/lib/*/lxc): install it (apt-get install lxc)"
	# slirp4netns out of PATH, given to RootlessKit by its flags
	EXTRA_PREP=:
	mkdir "$T/opt"
	mv "$T/bin/slirp4netns" "$T/opt/s4n"
	EXTRA_CONFIG="environment = DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=--mtu=1400 --slirp4netns-binary=$T/opt/s4n"
	run_rl
	[ "$status" -eq 0 ]
	EXTRA_CONFIG="environment = DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS=--slirp4netns-binary=$T/opt/none"
	run_rl
	expect_missing 1 "$T/opt/none, RootlessKit's network driver given with --slirp4netns-binary in DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS, is missing or not executable: fix that path"
}

@test "rootless preflight: XDG_RUNTIME_DIR of someone else, or not writable for the user" {
	mkdir -m 0700 "$T/xdg/run"
	run_rl
	expect_missing 1 "rl's runtime folder $T/xdg/run (XDG_RUNTIME_DIR) belongs to uid 0: make it rl's (chown $RL_UID $T/xdg/run)"
	chown "$RL_UID" "$T/xdg/run"
	chmod 0500 "$T/xdg/run"
	run_rl
	expect_missing 1 "rl cannot write its runtime folder $T/xdg/run (XDG_RUNTIME_DIR: Permission denied)"
}

@test "rootless preflight: the data folder of someone else (not empty), or not writable for the user" {
	touch "$T/data/something"
	run_rl
	expect_missing 1 "dockerd's data folder $T/data belongs to uid 0, not to rl (uid $RL_UID), and is not empty (it holds something): use a fresh volume, or chown -R $RL_UID:$RL_UID it"
	chown "$RL_UID" "$T/data"
	chmod 0500 "$T/data"
	run_rl
	expect_missing 1 "rl cannot write dockerd's data folder $T/data (Permission denied)"
}

@test "rootless: a data folder holding only lost+found (a fresh ext4 volume) counts as empty and is given to the user" {
	chown 0:0 "$T/data"
	mkdir -m 0700 "$T/data/lost+found"
	run_rl
	[ "$status" -eq 0 ]
	grep -q "setup: rootless: $T/data (empty) now belongs to rl" <<<"$output"
	[ "$(stat -c %u "$T/data")" = "$RL_UID" ]
	# lost+found itself is left as it is
	[ "$(stat -c %u "$T/data/lost+found")" = 0 ]
}

@test "rootless preflight: a system folder as XDG_RUNTIME_DIR or data_root is never given to the user, nor a chown of it advised" {
	rl_config
	sed -i "s|^environment = XDG_RUNTIME_DIR=.*|environment = XDG_RUNTIME_DIR=/etc|; s|^data_root = .*|data_root = /srv|" "$T/dind-init.ini"
	rl_config() { :; }
	# an empty /srv of our own (a tmpfs in the test's mount namespace)
	EXTRA_PREP="mount -t tmpfs -o mode=0755 srv /srv"
	run_rl
	expect_missing 2 "rl's runtime folder /etc (XDG_RUNTIME_DIR) is a system folder, of uid 0: point XDG_RUNTIME_DIR at a folder of rl's own (unset, it is /run/user/$RL_UID, which dind-init makes)"
	grep -q "preflight: rootless: dockerd's data folder /srv is a system folder, of uid 0, which dind-init does not give to rl: point \[init\] data_root at a folder of rl's own" <<<"$output"
	refute grep -q "chown" <<<"$output"
	refute grep -q "now belongs to rl" <<<"$output"
}

@test "preflight without CAP_SYS_ADMIN, iptables = no (the rootless image without --tmpfs /tmp): names the tmpfs mount and --tmpfs, not NET_ADMIN" {
	mkdir "$T/tmpdir"
	rl_config
	sed -i "s|^mount_tmpfs =.*|mount_tmpfs = $T/tmpdir|" "$T/dind-init.ini"
	rl_config() { :; }
	WRAP='setpriv --bounding-set -sys_admin --inh-caps -sys_admin'
	run_rl
	[ "$status" -eq 3 ]
	grep -qF "this container lacks CAP_SYS_ADMIN, which Docker-in-Docker needs here to mount a tmpfs on $T/tmpdir (mount_tmpfs: not a tmpfs yet): run with --tmpfs $T/tmpdir, or run the container with --privileged" <<<"$output"
	grep -qF "(or at least --cap-add SYS_ADMIN with seccomp and AppArmor unconfined)" <<<"$output"
	refute grep -q "NET_ADMIN" <<<"$output"
	refute grep -q main-ran <<<"$output"
}

@test "docker run --user on a rootless config: the message is rootless's (no containerd to start, unlike docker:dind-rootless)" {
	WRAP="setpriv --reuid $RL_UID --regid $RL_UID --clear-groups"
	run_rl
	[ "$status" -eq 3 ]
	grep -qF "dind-init runs as uid $RL_UID, but must run as root (uid 0) to prepare the container and start rootless dockerd as its user: unlike docker:dind-rootless, this image must not run with docker run --user (Kubernetes: runAsUser, runAsNonRoot)" <<<"$output"
	refute grep -q containerd <<<"$output"
	refute grep -q main-ran <<<"$output"
}

@test "rootless: the setup skipped because dind-init is not PID 1 says what rootless misses" {
	# timeout is PID 1 here, dind-init its child
	WRAP="timeout 50"
	run_rl
	grep -q "setup: skipped: dind-init is not PID 1" <<<"$output"
	grep -q "warning: setup: rootless: not prepared nor checked for \[service:dockerd\], as the setup was skipped: no XDG_RUNTIME_DIR (/run/user/UID) made, no /dev/net/tun, the data folder not given to its user, no preflight; make dind-init PID 1, or set \[init\] setup = yes" <<<"$output"
	refute grep -q "setup: rootless: made" <<<"$output"
}

@test "rootless preflight: a check as the user stuck in the kernel (a hung FUSE mount) fails it after 5 s; PID 1 does not hang" {
	# data_root on a FUSE mount whose server never answers another user's access(2): the
	# probe child sleeps uninterruptibly there, SIGKILL pending, until the server dies
	mkdir "$T/fuse"
	rl_config
	sed -i "s|^data_root = .*|data_root = $T/fuse/data|" "$T/dind-init.ini"
	rl_config() { :; }
	EXTRA_PREP="$HELPERS/stuck_fuse $T/fuse $RL_UID"
	run_rl
	expect_missing 1 "the checks made as rl (/dev/net/tun, $T/xdg/run, $T/fuse/data, a user namespace) did not answer within 5 s: one of them hangs (a FUSE or network mount that does not answer?); look at the mounts below $T/xdg/run and $T/fuse/data"
}

@test "rootless preflight: every failure is named, not just the first; a service skipped by when is not checked" {
	: >"$T/etc/subuid"
	rm "$T/bin/rootlesskit"
	EXTRA_PREP="mount --bind /dev/null /proc/interrupts"
	run_rl
	expect_missing 3 "rl has no subordinate ids in /etc/subuid"
	grep -q "rootlesskit is missing from PATH" <<<"$output"
	grep -q "parts of /proc are masked" <<<"$output"
	EXTRA_CONFIG="when = DIND_TEST_UNSET_VARIABLE"
	run_rl
	[ "$status" -eq 0 ]
	grep -qx main-ran <<<"$output"
	refute grep -q "preflight: rootless" <<<"$output"
}

@test "rootless: preflight = no skips the checks, not the preparation" {
	: >"$T/etc/subuid"
	rl_config
	sed -i 's/^\[init\]$/[init]\npreflight = no/' "$T/dind-init.ini"
	rl_config() { :; }
	run_rl
	[ "$status" -eq 0 ]
	grep -q "setup: rootless: made $T/xdg/run" <<<"$output"
	refute grep -q "preflight: rootless" <<<"$output"
}
