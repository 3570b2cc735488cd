#!/usr/bin/env bats
# Per-service and main-command privileges: user, group, capabilities, no_new_privileges,
# seccomp, rlimits, umask; and the config hardening around them.

load common

# a oneshot service that records its /proc/self/status lines and what it may do; the main
# command waits for it, so the service finishes before the shutdown
probe_script() {
	mkdir -p "$T/w"
	chmod 777 "$T/w"
	chmod 755 "$T"
	service_script probe "grep -E '^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status >$T/w/status
echo \"umask=\$(umask) home=\$HOME user=\$USER\" >>$T/w/status
if mount -t tmpfs none $T/mnt 2>$T/w/mount.err; then echo mount=ok; else echo mount=refused; fi >>$T/w/status
if unshare -m true 2>$T/w/unshare.err; then echo unshare=ok; else echo unshare=refused; fi >>$T/w/status
\"\$@\""
}

caps_hex() {
	printf '%016x' "$1"
}

@test "user, capabilities and seccomp = default: status lines, no mount, no unshare, the job still works" {
	mkdir "$T/mnt"
	chmod 755 "$T"
	probe_script
	# the job: bind a privileged port, which CAP_NET_BIND_SERVICE allows
	write_config <<EOF
[init]
main_after = probe
[service:probe]
command = $T/probe python3 -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 81)); print('bound')"
type = oneshot
user = nobody
group = nogroup
capabilities = CAP_NET_BIND_SERVICE
seccomp = default
umask = 027
log = file:$T/w/probe.log
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"; cat "$T/w/status" "$T/w/probe.log"
	[ "$status" -eq 0 ]
	grep -q '^Uid:	65534	65534	65534	65534' "$T/w/status"
	grep -q '^Gid:	65534	65534	65534	65534' "$T/w/status"
	grep -Eq '^Groups:[[:space:]]*$' "$T/w/status"
	want=$(caps_hex $((1 << 10)))
	for set in CapPrm CapEff CapBnd CapAmb; do
		grep -qx "$set:	$want" "$T/w/status"
	done
	grep -qx 'NoNewPrivs:	1' "$T/w/status"
	grep -qx 'Seccomp:	2' "$T/w/status"
	grep -qx 'umask=0027 home=/nonexistent user=nobody' "$T/w/status"
	grep -qx 'mount=refused' "$T/w/status"
	grep -qx 'unshare=refused' "$T/w/status"
	grep -q 'Operation not permitted' "$T/w/unshare.err"
	grep -qx bound "$T/w/probe.log"
}

@test "seccomp = default: no namespace through unshare, clone, clone3 or setns; fork, threads, pipes still work" {
	chmod 755 "$T"
	# a copy nobody can reach, wherever the build folder is
	cp "$HELPERS/nsescape" "$T/nsescape"
	write_config <<EOF
[init]
main_after = esc, pipe
[service:esc]
command = $T/nsescape
type = oneshot
user = nobody
seccomp = default
[service:pipe]
command = sh -c "echo piped | tr a-z A-Z | cat"
type = oneshot
user = nobody
seccomp = default
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx '\[esc\] unshare=EPERM' <<<"$output"
	grep -qx '\[esc\] clone=EPERM' <<<"$output"
	grep -qx '\[esc\] clone3=ENOSYS' <<<"$output"
	grep -qx '\[esc\] setns=EPERM' <<<"$output"
	for ok in clone-plain fork vfork posix_spawn thread; do
		grep -qx "\[esc\] $ok=ok" <<<"$output"
	done
	grep -qx '\[pipe\] PIPED' <<<"$output"
}

@test "seccomp = default refuses every CLONE_NEW* flag of clone, even to root; deny: lists leave clone alone" {
	write_config <<EOF
[init]
main_after = esc, deny
[service:esc]
command = $HELPERS/nsescape --each
type = oneshot
seccomp = default
[service:deny]
command = $HELPERS/nsescape --each
type = oneshot
seccomp = deny:mkdir
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	for ns in NEWCGROUP NEWIPC NEWNET NEWNS NEWPID NEWUSER NEWUTS; do
		grep -qx "\[esc\] clone-$ns=EPERM" <<<"$output"
		grep -qx "\[deny\] clone-$ns=ok" <<<"$output"
	done
	grep -qx '\[esc\] clone3=ENOSYS' <<<"$output"
	grep -qx '\[esc\] setns=EPERM' <<<"$output"
	grep -qx '\[deny\] clone3=ok' <<<"$output"
	for ok in clone-plain fork vfork posix_spawn thread; do
		grep -qx "\[esc\] $ok=ok" <<<"$output"
	done
}

@test "seccomp = default refuses mount with EPERM even to root with CAP_SYS_ADMIN" {
	mkdir "$T/mnt"
	probe_script
	write_config <<EOF
[init]
main_after = probe
[service:probe]
command = $T/probe
type = oneshot
seccomp = default
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	cat "$T/w/status"
	[ "$status" -eq 0 ]
	grep -q '^Uid:	0	' "$T/w/status"
	grep -qx 'Seccomp:	2' "$T/w/status"
	grep -qx 'mount=refused' "$T/w/status"
	# util-linux mount says "permission denied" for EPERM
	grep -Eqi 'permission denied|not permitted' "$T/w/mount.err"
}

@test "root with a reduced capability set: the bounding set is cut, mount is refused" {
	mkdir "$T/mnt"
	probe_script
	write_config <<EOF
[init]
main_after = probe
[service:probe]
command = $T/probe
type = oneshot
capabilities = CAP_CHOWN, dac_override
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	cat "$T/w/status"
	[ "$status" -eq 0 ]
	want=$(caps_hex $(((1 << 0) | (1 << 1))))
	grep -qx "CapBnd:	$want" "$T/w/status"
	grep -qx "CapEff:	$want" "$T/w/status"
	grep -qx 'Seccomp:	0' "$T/w/status"
	grep -qx 'mount=refused' "$T/w/status"
}

@test "seccomp = deny:mkdir,rmdir refuses those syscalls only" {
	service_script job "mkdir $T/newdir 2>$T/mkdir.err && echo mkdir=ok || echo mkdir=refused; touch $T/file && echo touch=ok"
	write_config <<EOF
[init]
main_after = job
[service:job]
command = $T/job
type = oneshot
seccomp = deny:mkdir,mkdirat,rmdir
log = file:$T/job.log
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	cat "$T/job.log"
	[ "$status" -eq 0 ]
	grep -qx mkdir=refused "$T/job.log"
	grep -q 'Operation not permitted' "$T/mkdir.err"
	grep -qx touch=ok "$T/job.log"
	[ ! -d "$T/newdir" ]
}

@test "[main] user and seccomp: the main command runs as that user and cannot mount" {
	mkdir "$T/mnt"
	chmod 755 "$T"
	write_config <<EOF
[main]
user = nobody
seccomp = default
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c "id -u; id -g; mount -t tmpfs none $T/mnt && echo mount=ok || echo mount=refused; echo HOME=\$HOME"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -qx 65534 <<<"$output"
	grep -qx mount=refused <<<"$output"
	grep -qx HOME=/nonexistent <<<"$output"
}

@test "a privilege that cannot be applied fails the start, loudly, and counts for the start limit" {
	# raising the hard open-files limit needs CAP_SYS_RESOURCE, which a non-root user lacks
	service_script job 'echo ran >>$EVENTS'
	write_config <<EOF
[service:job]
command = $T/job
user = nobody
rlimit_nofile = 100000000
restart_delay = 10ms
start_limit_burst = 2
critical = yes
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 1000
	echo "$output"
	[ "$status" -eq 4 ]
	[ ! -s "$EVENTS" ]
	grep -q 'service job: setting resource limits failed; it is not run with other privileges than configured: Operation not permitted' <<<"$output"
	grep -q 'service job FAILED' <<<"$output"
}

@test "unknown user, group, capability or syscall names are config errors with file:line" {
	write_config <<EOF
[service:a]
command = /bin/true
user = no-such-user-here
group = no-such-group-here
capabilities = CAP_NOT_A_CAP
seccomp = deny:not_a_syscall
EOF
	run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 2 ]
	grep -q "dind-init.ini:3: unknown user 'no-such-user-here'" <<<"$output"
	grep -q "dind-init.ini:4: unknown group 'no-such-group-here'" <<<"$output"
	grep -q "dind-init.ini:5: unknown capability 'CAP_NOT_A_CAP'" <<<"$output"
	grep -q "dind-init.ini:6: .*not_a_syscall" <<<"$output"
}

@test "a config file writable by group or others is refused; DIND_INIT_STRICT_CONFIG=no lets it pass, with a warning" {
	service_script a 'echo a-ran >>$EVENTS'
	write_config <<EOF
[init]
main_after = a
[service:a]
command = $T/a
type = oneshot
EOF
	chmod 664 "$T/dind-init.ini"
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 2 ]
	[ ! -s "$EVENTS" ]
	grep -q "writable by group or others" <<<"$output"
	grep -q "chmod go-w" <<<"$output"
	grep -q "or start dind-init with DIND_INIT_STRICT_CONFIG=no (docker run -e DIND_INIT_STRICT_CONFIG=no)" <<<"$output"

	# the relaxation comes from whoever starts the container, not from the file
	DIND_INIT_STRICT_CONFIG=no run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "warning: $T/dind-init.ini is writable by group or others (mode 0664)" <<<"$output"
	[ "$(cat "$EVENTS")" = a-ran ]
}

@test "whoever can write the config file cannot switch its check off from inside it: strict_config = no is refused" {
	# the audit's attack: whoever may write the file adds the key, for root services at the
	# next start
	service_script a 'echo a-ran >>$EVENTS'
	write_config <<EOF
[service:a]
command = $T/a
type = oneshot
EOF
	chmod 664 "$T/dind-init.ini"
	printf '[init]\nstrict_config = no\n' >>"$T/dind-init.ini"
	run in_ns -c "$T/dind-init.ini" -- sh -c 'echo main-ran >>$EVENTS'
	echo "$output"
	[ "$status" -eq 2 ]
	[ ! -s "$EVENTS" ]
	grep -q "^$T/dind-init.ini: refusing a config file that is writable by group or others (mode 0664)" <<<"$output"
	grep -q "^$T/dind-init.ini:5: strict_config = no is no longer read from the config file.*DIND_INIT_STRICT_CONFIG=no" <<<"$output"

	# not even in a safe file, so that no file comes to rely on it
	chmod 644 "$T/dind-init.ini"
	run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 2 ]
	grep -q "^$T/dind-init.ini:5: strict_config = no is no longer read" <<<"$output"
	# yes, the default, is still accepted
	sed -i 's/^strict_config = no$/strict_config = yes/' "$T/dind-init.ini"
	run -0 "$DIND_INIT" --check-config -c "$T/dind-init.ini"
}

@test "a seccomp allow-list writable by group or others is refused at file:line; on a read-only mount or with DIND_INIT_STRICT_CONFIG=no it is used" {
	service_script a 'echo a-ran >>$EVENTS'
	printf 'execve\nexit_group\n' >"$T/a.allow"
	chmod 664 "$T/a.allow"
	write_config <<EOF
[service:a]
command = $T/a
type = oneshot
seccomp = $T/a.allow
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	echo "$output"
	[ "$status" -eq 2 ]
	[ ! -s "$EVENTS" ]
	grep -q "^$T/dind-init.ini:4: refusing seccomp allow-list $T/a.allow for seccomp: it is writable by group or others (mode 0664), who could allow the service any syscall: mount it read-only (docker run -v HOST-FILE:$T/a.allow:ro), or chmod go-w the file (on the host, if it is bind-mounted from there), or start dind-init with DIND_INIT_STRICT_CONFIG=no" <<<"$output"

	# owned by someone else
	chmod 644 "$T/a.allow"
	chown 1000:1000 "$T/a.allow"
	run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 2 ]
	grep -q "^$T/dind-init.ini:4: refusing seccomp allow-list $T/a.allow for seccomp: it is owned by uid 1000, not root, .*or chown root the file" <<<"$output"

	# -v FILE:PATH:ro: accepted whatever its owner and mode
	chmod 666 "$T/a.allow"
	run timeout 30 unshare --mount sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && exec "$0" --check-config -c "$2"' \
		"$DIND_INIT" "$T/a.allow" "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "seccomp=$T/a.allow" <<<"$output"

	# or relaxed by whoever starts the container
	DIND_INIT_STRICT_CONFIG=no run "$DIND_INIT" --check-config -c "$T/dind-init.ini"
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q "seccomp=$T/a.allow" <<<"$output"
}

@test "hundreds of environment entries or an absurdly long command are clear config errors" {
	{
		printf '[service:a]\ncommand = /bin/true\n'
		for i in $(seq 200); do printf 'environment = VAR%d=x\n' "$i"; done
	} >"$T/env.ini"
	run "$DIND_INIT" --check-config -c "$T/env.ini"
	echo "${output:0:2000}"
	[ "$status" -eq 2 ]
	grep -q "too many environment entries in \[service:a\] (limit 128)" <<<"$output"

	{
		printf '[service:b]\ncommand = /bin/echo\n'
		for i in $(seq 400); do printf '\t%s\n' "$(head -c 180 /dev/zero | tr '\0' x)"; done
	} >"$T/long.ini"
	run "$DIND_INIT" --check-config -c "$T/long.ini"
	echo "${output:0:2000}"
	[ "$status" -eq 2 ]
	grep -Eq "too (long|many words)" <<<"$output"
}

@test "a notify service running as another user can still send READY=1" {
	chmod 755 "$T"
	mkdir -p "$T/run"
	# a copy nobody can reach, wherever the build folder is
	cp "$HELPERS/notifier" "$T/notifier"
	write_config <<EOF
[init]
runtime_dir = $T/run
control_socket = none
main_after = n
[service:n]
command = $T/notifier --delay 100
type = notify
user = nobody
ready_timeout = 20s
EOF
	run in_ns -c "$T/dind-init.ini" -- sh -c 'echo main-ran'
	echo "$output"
	[ "$status" -eq 0 ]
	grep -q 'service n is ready' <<<"$output"
	grep -qx main-ran <<<"$output"
}

@test "exec probes run with the service's user, capabilities and seccomp" {
	chmod 755 "$T"
	mkdir -p "$T/w"
	chmod 777 "$T/w"
	service_script check "id -u >$T/w/probe-uid; grep -E '^(CapEff|Seccomp):' /proc/self/status >>$T/w/probe-uid"
	write_config <<EOF
[init]
main_after = s
control_socket = none
[service:s]
command = sleep 1000
ready = exec $T/check
user = nobody
capabilities = none
seccomp = default
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	cat "$T/w/probe-uid"
	[ "$status" -eq 0 ]
	grep -qx 65534 "$T/w/probe-uid"
	grep -qx 'CapEff:	0000000000000000' "$T/w/probe-uid"
	grep -qx 'Seccomp:	2' "$T/w/probe-uid"
}

@test "a seccomp filter that denies rt_sigprocmask still leaves the service's signals unblocked" {
	service_script sig "grep SigBlk /proc/self/status >$T/sigblk"
	write_config <<EOF
[init]
main_after = sig
[service:sig]
command = $T/sig
type = oneshot
seccomp = deny:rt_sigprocmask
EOF
	run in_ns -c "$T/dind-init.ini" -- true
	cat "$T/sigblk"
	[ "$status" -eq 0 ]
	grep -qx 'SigBlk:	0000000000000000' "$T/sigblk"
}

# --- log = file: is opened with the service's own rights ---

# log_refused SPEC USER PATTERN: service svc (run as USER, or as root when USER is root) with
# log = file:SPEC must not start: its start fails with a log line matching PATTERN, it never
# runs, and nothing is written to the root files $T/secret and $T/shared. $T/logs belongs to
# nobody, as a folder a service may own.
log_refused() {
	local user_line=""
	[ "$2" = root ] || user_line="user = $2"
	service_script svc 'echo leak; echo ran >>$EVENTS'
	write_config <<EOF
[service:svc]
command = $T/svc
$user_line
log = file:$1
restart_delay = 10ms
start_limit_burst = 1
critical = yes
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 1000
	echo "$output"
	[ "$status" -eq 4 ]
	grep -q -- "$3" <<<"$output"
	grep -q 'service svc FAILED' <<<"$output"
	[ ! -s "$EVENTS" ]
	[ "$(cat "$T/secret")" = secret ]
	[ "$(cat "$T/shared")" = shared ]
}

log_fixture() {
	chmod 755 "$T"
	chmod 666 "$EVENTS"
	mkdir "$T/logs" "$T/rootdir"
	chown nobody "$T/logs"
	echo secret >"$T/secret"
	chmod 600 "$T/secret"
	echo shared >"$T/shared"
	chmod 666 "$T/shared"
}

@test "log = file: a service that runs as a user cannot get its log through a link to a root file" {
	log_fixture
	# a symlink in the last component, to a root-only file
	ln -s "$T/secret" "$T/logs/a.log"
	log_refused "$T/logs/a.log" nobody "service svc: its log $T/logs/a.log is a symbolic link; a service that runs as nobody must name the file itself"
	# hard links (as where fs.protected_hardlinks is off): one the user cannot write, one it
	# could, but that is not its own
	ln "$T/secret" "$T/logs/b.log"
	log_refused "$T/logs/b.log" nobody "service svc: cannot open its log $T/logs/b.log as nobody: Permission denied; that user must be able to write it"
	ln "$T/shared" "$T/logs/c.log"
	log_refused "$T/logs/c.log" nobody "service svc: its log $T/logs/c.log belongs to uid 0, not to nobody who runs the service; refusing it"
	# a symlink in a folder of the path that the user owns, to a root folder
	echo root-log >"$T/rootdir/d.log"
	ln -s "$T/rootdir" "$T/logs/sub"
	log_refused "$T/logs/sub/d.log" nobody "cannot open its log $T/logs/sub/d.log as nobody: Permission denied"
	[ "$(cat "$T/rootdir/d.log")" = root-log ]
	# a root folder that it cannot create files in
	log_refused "$T/rootdir/e.log" nobody "cannot open its log $T/rootdir/e.log as nobody: Permission denied"
}

@test "log = file: a FIFO, a socket, a folder or a device is refused without blocking dind-init" {
	log_fixture
	# FIFOs nobody reads: opening one for writing would block
	mkfifo -m 666 "$T/logs/fifo" "$T/fifo"
	log_refused "$T/logs/fifo" nobody "service svc: its log $T/logs/fifo is a FIFO, not a regular file; refusing it"
	log_refused "$T/fifo" root "service svc: its log $T/fifo is a FIFO, not a regular file; refusing it"
	# one somebody reads: opening it works, taking it does not (the reader is bounded and
	# keeps none of bats' descriptors, should the test fail before it is killed)
	(exec 3>&- 4>&-; exec sleep 60) <>"$T/fifo" >/dev/null 2>&1 &
	reader=$!
	log_refused "$T/fifo" root "its log $T/fifo is a FIFO, not a regular file"
	kill "$reader"
	"$PYTHON" -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$T/sock"
	log_refused "$T/sock" root "service svc: its log $T/sock is a socket, not a regular file"
	mkdir "$T/dir"
	log_refused "$T/dir" root "service svc: cannot open its log $T/dir: Is a directory; check the path"
	log_refused /dev/null root "service svc: its log /dev/null is a character device, not a regular file"
}

@test "log = file: a service that plants a symlink at its log gets no root file after its restart" {
	log_fixture
	# the first run swaps its log for a link to a root-only file and fails; the second run
	# would write to wherever the log leads
	service_script svc "if [ -e $T/logs/ran ]; then echo second-run; exit 1; fi
touch $T/logs/ran; echo first-run
rm $T/logs/svc.log; ln -s $T/secret $T/logs/svc.log; exit 1"
	write_config <<EOF
[service:svc]
command = $T/svc
user = nobody
log = file:$T/logs/svc.log
restart_delay = 10ms
start_limit_burst = 2
critical = yes
EOF
	run in_ns -c "$T/dind-init.ini" -- sleep 1000
	echo "$output"
	[ "$status" -eq 4 ]
	[ "$(cat "$T/secret")" = secret ]
	[ -e "$T/logs/ran" ]
	printf '%s\n' "$output" >"$T/log"
	in_order "$T/log" 'service svc started' 'service svc exited with status 1' \
		"service svc: its log $T/logs/svc.log is a symbolic link" 'service svc FAILED'
}

@test "log = file: created by and for the service's user, appended to on restart" {
	log_fixture
	service_script svc 'id -u; echo ran >>$EVENTS'
	write_config <<EOF
[service:svc]
command = $T/svc
user = nobody
umask = 027
log = file:$T/logs/svc.log
restart = on-failure
[service:again]
command = $T/svc
user = nobody
log = file:$T/logs/again.log
restart_delay = 10ms
start_limit_burst = 2
EOF
	# a file that is already the user's is appended to
	echo before >"$T/logs/again.log"
	chown nobody "$T/logs/again.log"
	run in_ns -c "$T/dind-init.ini" -- sh -c "for i in \$(seq 200); do [ \$(grep -c . $EVENTS) -ge 3 ] && exit 0; sleep 0.05; done; exit 1"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(stat -c '%U %a' "$T/logs/svc.log")" = "nobody 640" ]
	[ "$(cat "$T/logs/svc.log")" = 65534 ]
	[ "$(stat -c %U "$T/logs/again.log")" = nobody ]
	[ "$(head -n 1 "$T/logs/again.log")" = before ]
	[ "$(grep -c 65534 "$T/logs/again.log")" -ge 2 ]
}
