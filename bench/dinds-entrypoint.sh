#!/bin/sh
# The baseline of bench/tls.sh: what docker:dind's entrypoint does, run in this image (Debian's
# openssl, Docker and tini) in place of dind-init. Modelled on docker-library/docker's
# dockerd-entrypoint.sh (29/dind) and moby's hack/dind wrapper; only the root, no-argument path:
#
#   DOCKER_TLS_CERTDIR set and not empty: RSA 4096 keys with `openssl genrsa` (made once, reused
#   when present), then, on every start, the CA certificate (`openssl req -x509`), server and
#   client CSRs (`openssl req`) signed with `openssl x509 -req` (the server's subjectAltName:
#   every interface address, /etc/hostname, docker, localhost, hostname -f and -s, then
#   DOCKER_TLS_SAN), the CA copied to server/ and client/, each chain checked with `openssl
#   verify`; dockerd with --host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2376
#   --tlsverify --tlscacert/--tlscert/--tlskey.
#   DOCKER_TLS_CERTDIR empty: dockerd with --host=unix:///var/run/docker.sock
#   --host=tcp://0.0.0.0:2375 and no --tls=false (dockerd then pauses for an unencrypted
#   listener, as docker:dind's does).
#   Then: stale docker*.pid files removed, the iptables choice, and
#   `docker-init -- dind dockerd ...`: tini as PID 1, the dind wrapper's setup (container=docker,
#   securityfs, tmpfs on /tmp, cgroup v2 nesting, / rshared), dockerd with its own managed
#   containerd (no --containerd, as docker:dind).
#
# Differences forced by the image: it has no `ip` (iproute2), so the interface addresses come
# from /proc/net/fib_trie and /proc/net/if_inet6 (the same set; IPv6 written in full, which
# names the same address in the certificate); iptables-legacy is Debian's, not
# /usr/local/sbin/.iptables-legacy. And one forced by this host, where --privileged is refused:
# the cgroup v1 hierarchies are remounted read-write (as bench/handtuned.sh and dind-init do).
#
#   dinds-entrypoint.sh                 the entrypoint (PID 1 of the container)
#   dinds-entrypoint.sh --certs DIR     only the certificates in DIR, as the entrypoint makes them
#                                       (bench/tls.sh times it alone); openssl's output to stderr
#   dinds-entrypoint.sh --dind CMD...   the dind wrapper (the entrypoint runs it under tini)
set -eu

tls_key() {
	[ -s "$1" ] || openssl genrsa -out "$1" 4096
}

# The addresses `ip -oneline address` lists, one IP:ADDR a line.
tls_addresses() {
	awk '/\/32 host LOCAL/ { print "IP:" addr } { addr = $2 }' /proc/net/fib_trie
	awk '{ a = $1; s = ""
		for (i = 1; i <= 29; i += 4) s = s (i > 1 ? ":" : "") substr(a, i, 4)
		print "IP:" s }' /proc/net/if_inet6 2>/dev/null || :
}

tls_san() {
	{
		tls_addresses
		{
			cat /etc/hostname
			echo docker
			echo localhost
			hostname -f
			hostname -s
		} | sed 's/^/DNS:/'
		[ -z "${DOCKER_TLS_SAN:-}" ] || echo "$DOCKER_TLS_SAN"
	} | sort -u | xargs printf '%s,' | sed 's/,$//'
}

# tls_certs DIR: docker:dind's _tls_generate_certs (825 days, the same subjects and extensions)
tls_certs() {
	d=$1
	days=825
	if [ -s "$d/server/ca.pem" ] && [ -s "$d/server/cert.pem" ] && [ -s "$d/server/key.pem" ] &&
		[ ! -s "$d/ca/key.pem" ]; then
		openssl verify -CAfile "$d/server/ca.pem" "$d/server/cert.pem"
		return 0
	fi
	if [ -s "$d/ca/key.pem" ] || [ ! -s "$d/ca/cert.pem" ]; then
		mkdir -p "$d/ca"
		tls_key "$d/ca/key.pem"
		openssl req -new -key "$d/ca/key.pem" -out "$d/ca/cert.pem" -subj '/CN=docker:dind CA' \
			-x509 -days "$days" -addext keyUsage=critical,digitalSignature,keyCertSign
	fi
	if [ -s "$d/ca/key.pem" ]; then
		mkdir -p "$d/server"
		tls_key "$d/server/key.pem"
		openssl req -new -key "$d/server/key.pem" -out "$d/server/csr.pem" -subj '/CN=docker:dind server'
		printf '[ x509_exts ]\nextendedKeyUsage = serverAuth\nsubjectAltName = %s\n' "$(tls_san)" \
			>"$d/server/openssl.cnf"
		openssl x509 -req -in "$d/server/csr.pem" -CA "$d/ca/cert.pem" -CAkey "$d/ca/key.pem" \
			-CAcreateserial -out "$d/server/cert.pem" -days "$days" \
			-extfile "$d/server/openssl.cnf" -extensions x509_exts
		cp "$d/ca/cert.pem" "$d/server/ca.pem"
		openssl verify -CAfile "$d/server/ca.pem" "$d/server/cert.pem"

		mkdir -p "$d/client"
		tls_key "$d/client/key.pem"
		chmod 0644 "$d/client/key.pem"
		openssl req -new -key "$d/client/key.pem" -out "$d/client/csr.pem" -subj '/CN=docker:dind client'
		printf '[ x509_exts ]\nextendedKeyUsage = clientAuth\n' >"$d/client/openssl.cnf"
		openssl x509 -req -in "$d/client/csr.pem" -CA "$d/ca/cert.pem" -CAkey "$d/ca/key.pem" \
			-CAcreateserial -out "$d/client/cert.pem" -days "$days" \
			-extfile "$d/client/openssl.cnf" -extensions x509_exts
		cp "$d/ca/cert.pem" "$d/client/ca.pem"
		openssl verify -CAfile "$d/client/ca.pem" "$d/client/cert.pem"
	fi
}

# moby's hack/dind: the setup before dockerd
dind() {
	export container=docker
	if [ -d /sys/kernel/security ] && ! mountpoint -q /sys/kernel/security; then
		mount -t securityfs none /sys/kernel/security ||
			echo >&2 'Could not mount /sys/kernel/security. AppArmor detection and --privileged mode might break.'
	fi
	mountpoint -q /tmp || mount -t tmpfs none /tmp
	if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
		mkdir -p /sys/fs/cgroup/init
		xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/init/cgroup.procs 2>/dev/null || :
		sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers \
			>/sys/fs/cgroup/cgroup.subtree_control
	else
		# this host only: read-only v1 hierarchies without --privileged
		{ echo /sys/fs/cgroup && awk '$3 == "cgroup" { print $2 }' /proc/mounts; } | while read -r m; do
			mount -o remount,bind,rw "$m" 2>/dev/null || :
		done
	fi
	mount --make-rshared /
	exec "$@"
}

# docker:dind's choice between iptables-nft and iptables-legacy
iptables_choice() {
	legacy=
	if [ -n "${DOCKER_IPTABLES_LEGACY+x}" ]; then
		legacy=$DOCKER_IPTABLES_LEGACY
	elif (for f in /proc/net/ip_tables_names /proc/net/ip6_tables_names /proc/net/arp_tables_names; do
		if b=$(cat "$f") && [ -n "$b" ]; then exit 0; fi
	done && exit 1); then
		legacy=1
	elif ! iptables -nL >/dev/null 2>&1 && iptables-legacy -nL >/dev/null 2>&1; then
		legacy=1
	fi
	if [ -n "$legacy" ]; then
		mkdir -p /run/iptables-legacy
		for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
			ln -sf "/usr/sbin/$t-legacy" "/run/iptables-legacy/$t"
		done
		export PATH="/run/iptables-legacy:$PATH"
	fi
	iptables --version
}

case "${1:-}" in
--certs)
	tls_certs "$2"
	exit 0
	;;
--dind)
	shift
	dind "$@"
	;;
esac

socket=unix:///var/run/docker.sock
if [ -n "${DOCKER_TLS_CERTDIR:-}" ]; then
	tls_certs "$DOCKER_TLS_CERTDIR"
	set -- dockerd --host="$socket" --host=tcp://0.0.0.0:2376 --tlsverify \
		--tlscacert "$DOCKER_TLS_CERTDIR/server/ca.pem" --tlscert "$DOCKER_TLS_CERTDIR/server/cert.pem" \
		--tlskey "$DOCKER_TLS_CERTDIR/server/key.pem"
else
	set -- dockerd --host="$socket" --host=tcp://0.0.0.0:2375
fi
find /run /var/run -iname 'docker*.pid' -delete || :
iptables_choice
exec docker-init -- "$0" --dind "$@"
