#!/bin/sh
# The container setup of the supervisord and s6 recipes, sourced by their entrypoints before
# they exec the supervisor: the same lines as bench/handtuned.sh and bench/classic.sh, i.e. only
# what nested `docker run`s need on this host (cgroup hierarchies read-write: they are read-only
# without --privileged; / rshared). dind-init's setup does more (tmpfs on /run and /tmp,
# securityfs, /sys read-write, the iptables choice, stale files, the MTU, the open-files limit).
for m in /sys/fs/cgroup $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts); do
	mount -o remount,bind,rw "$m" 2>/dev/null || true
done
mount --make-rshared /
