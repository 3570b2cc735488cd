#!/bin/sh
# (b) of bench/ready.sh: the hand-tuned baseline, run as PID 1 of the image in place of dind-init.
# Only what nested `docker run`s need on this host and nothing dind-init does beyond that (no
# tmpfs on /run and /tmp, no securityfs, no /sys remount, no iptables probe, no rlimit, no stale
# file removal, no supervision, no signal forwarding, no reaping): cgroup hierarchies read-write
# (they are read-only without --privileged), / rshared. Then containerd, a connect() to its
# socket every 10 ms, dockerd (the same command lines as the default dind-init.ini), GET /_ping
# every 10 ms (dockping stands in for `curl --unix-socket`, one process per try), then "$@".
# Daemon output goes straight to the container's stderr.
for m in /sys/fs/cgroup $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts); do
	mount -o remount,bind,rw "$m" 2>/dev/null || true
done
mount --make-rshared /
containerd &
until /bench/dockping connect /run/containerd/containerd.sock; do sleep 0.01; done
container=docker dockerd --containerd=/run/containerd/containerd.sock --host=unix:///var/run/docker.sock &
until /bench/dockping ping /var/run/docker.sock; do sleep 0.01; done
exec "$@"
