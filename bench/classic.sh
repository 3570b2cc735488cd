#!/bin/sh
# (c) of bench/ready.sh: the classic entrypoint recipe, run as PID 1 of the image in place of
# dind-init: the same setup lines and daemon command lines as handtuned.sh, but both daemons
# started at once with nohup, and the CI-style `until docker info; do sleep 1; done`. Then "$@".
for m in /sys/fs/cgroup $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/mounts); do
	mount -o remount,bind,rw "$m" 2>/dev/null || true
done
mount --make-rshared /
nohup containerd >/var/log/containerd.log 2>&1 &
container=docker nohup dockerd --containerd=/run/containerd/containerd.sock \
	--host=unix:///var/run/docker.sock >/var/log/dockerd.log 2>&1 &
until docker info >/dev/null 2>&1; do sleep 1; done
exec "$@"
