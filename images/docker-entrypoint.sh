#!/bin/sh
# The client side of docker:dind's image, for jobs that use this image as their job image
# (GitLab: `image: {name: ..., entrypoint: ["docker-entrypoint.sh"]}`): point the docker client
# at the Docker-in-Docker service the way docker:dind's docker-entrypoint.sh does, then run the
# arguments. No daemon is started here; dind-init is the entrypoint that starts one.
#
#   docker-entrypoint.sh [ARG...]
#
# - The first argument an option (`-v`) or a docker subcommand (`version`, `ps`): `docker` is
#   put in front of the arguments. No arguments: a shell.
# - DOCKER_HOST unset: the local socket when there is one (/var/run/docker.sock, or the rootless
#   one in $XDG_RUNTIME_DIR), else the service called `docker`: tcp://docker:2376 when the client
#   certificates are in $DOCKER_TLS_CERTDIR/client (or DOCKER_TLS_VERIFY is set), else
#   tcp://docker:2375.
# - A tcp:// DOCKER_HOST with the client certificates there and neither DOCKER_TLS_VERIFY nor
#   DOCKER_CERT_PATH set: DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH=$DOCKER_TLS_CERTDIR/client.
set -eu

client_certs() {
	[ -n "${DOCKER_TLS_CERTDIR:-}" ] &&
		[ -s "$DOCKER_TLS_CERTDIR/client/ca.pem" ] &&
		[ -s "$DOCKER_TLS_CERTDIR/client/cert.pem" ] &&
		[ -s "$DOCKER_TLS_CERTDIR/client/key.pem" ]
}

if [ $# -eq 0 ]; then
	set -- sh
fi
case "$1" in
-*) set -- docker "$@" ;;
*)
	# A word docker knows as a subcommand (docker run IMAGE ps). `docker help` answers without
	# a daemon.
	if [ "$1" != docker ] && command -v docker >/dev/null 2>&1 &&
		docker help "$1" >/dev/null 2>&1; then
		set -- docker "$@"
	fi
	;;
esac

if [ -z "${DOCKER_HOST:-}" ]; then
	rootless_sock=${XDG_RUNTIME_DIR:-/run/user/$(id -u)}/docker.sock
	if [ -S /var/run/docker.sock ]; then
		DOCKER_HOST=unix:///var/run/docker.sock
	elif [ -S "$rootless_sock" ]; then
		DOCKER_HOST=unix://$rootless_sock
	elif client_certs || [ -n "${DOCKER_TLS_VERIFY:-}" ]; then
		DOCKER_HOST=tcp://docker:2376
	else
		DOCKER_HOST=tcp://docker:2375
	fi
	export DOCKER_HOST
fi
case "$DOCKER_HOST" in
tcp://*)
	if [ -z "${DOCKER_TLS_VERIFY:-}" ] && [ -z "${DOCKER_CERT_PATH:-}" ] && client_certs; then
		export DOCKER_TLS_VERIFY=1
		export DOCKER_CERT_PATH="$DOCKER_TLS_CERTDIR/client"
	fi
	;;
esac

if [ "$1" = dockerd ]; then
	echo "docker-entrypoint.sh: this starts no Docker daemon; run the image with its own" \
		"entrypoint (dind-init) and --privileged for that" >&2
fi
exec "$@"
