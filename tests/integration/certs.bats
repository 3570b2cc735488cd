#!/usr/bin/env bats
# dind-certs: docker:dind's TLS certificates, made in a temporary folder. No PID namespace needed;
# the tests that change the hostname, /etc/hosts or the network, or mount read-only, run it in
# namespaces of their own (unshare).

load common

: "${DIND_CERTS:?set DIND_CERTS to the dind-certs binary (CTest does)}"

setup() {
	T=$(mktemp -d /tmp/dind-certs-test.XXXXXX)
	D=$T/certs
	export T D DOCKER_TLS_CERTDIR=$D
	unset DOCKER_TLS_SAN DIND_TLS_KEY_TYPE
	SERVER_PID=
}

teardown() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}

# in_netns CMD...: CMD in a network namespace of its own with lo up (127.0.0.1 and ::1): the
# server names then do not change between two runs (this machine's interfaces come and go)
in_netns() {
	unshare --net sh -c 'ip link set lo up && exec "$@"' in_netns "$@"
}

certs() {
	in_netns timeout --kill-after=5 120 "$DIND_CERTS" "$@"
}

# snapshot DIR: every file and folder with its mode, inode, size, mtime, ctime and checksum
snapshot() {
	find "$1" -printf '%P %y %m %i %s %T@ %C@\n' | sort
	find "$1" -type f -exec sha256sum {} + | sort
}

# stats DIR FILE...: inode, mtime, ctime and checksum of each FILE under DIR (a rewrite changes
# the inode, a chmod the ctime)
stats() {
	local dir=$1 f
	shift
	for f in "$@"; do
		echo "$f $(stat -c '%i %Y %Z' "$dir/$f") $(sha256sum <"$dir/$f")"
	done
}

# pubkey FILE: the public key of a certificate or of a private key, as PEM
pubkey() {
	if grep -q 'CERTIFICATE' "$1"; then
		openssl x509 -in "$1" -noout -pubkey
	else
		openssl pkey -in "$1" -pubout
	fi
}

# sans CERT: the subjectAltName entries, comma-separated, as OpenSSL prints them
sans() {
	openssl x509 -in "$1" -noout -ext subjectAltName | tail -n +2 | sed 's/^ *//; s/, /,/g'
}

# under strace: LeakSanitizer (the sanitizer build) cannot work under ptrace
export_strace_asan() {
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
}

# no_temps: no temporary file of dind-certs anywhere under $T
no_temps() {
	local left
	left=$(find "$T" -name '*dind-certs-tmp*')
	if [ -n "$left" ]; then
		echo "temporary files left: $left" >&2
		return 1
	fi
}

@test "usage errors exit 2 and say what to do; nothing is made" {
	unset DOCKER_TLS_CERTDIR
	run -2 certs
	[[ "$output" == *"error: no folder for the certificates: set DOCKER_TLS_CERTDIR or pass --dir DIR"* ]]
	DOCKER_TLS_CERTDIR= run -2 certs
	[[ "$output" == *"set DOCKER_TLS_CERTDIR or pass --dir DIR (an empty DOCKER_TLS_CERTDIR means TLS off"* ]]
	run -2 certs --dir "$D" --key-type dsa
	[[ "$output" == *"bad --key-type 'dsa': use ecdsa or rsa"* ]]
	DIND_TLS_KEY_TYPE=ed448 run -2 certs --dir "$D"
	[[ "$output" == *"bad DIND_TLS_KEY_TYPE 'ed448': use ecdsa or rsa"* ]]
	run -2 certs --dir "$D" --bogus
	[[ "$output" == *"unknown option or missing value: '--bogus' (try --help)"* ]]
	run -2 certs --dir
	[[ "$output" == *"unknown option or missing value: '--dir' (try --help)"* ]]
	run -2 certs --dir "$D" extra
	[[ "$output" == *"unexpected argument 'extra'"* ]]
	[ ! -e "$D" ]
	run -0 certs --help
	[[ "$output" == *"usage: dind-certs [--dir DIR] [--key-type ecdsa|rsa] [-q]"* ]]
}

@test "a fresh folder gets docker:dind's layout with its modes, whatever the umask" {
	run -0 bash -c "umask 077 && exec $DIND_CERTS"  # the machine's own interfaces, once
	echo "$output"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "dind-certs: $D: new CA; server certificate for "*" names ("*"); client certificate; new ecdsa P-256 keys: ca, server, client" ]]
	run -0 bash -c "cd '$D' && find . -printf '%m %P\n' | sort -k2"
	echo "$output"
	[ "$output" = "755 
755 ca
644 ca/cert.pem
600 ca/key.pem
755 client
644 client/ca.pem
644 client/cert.pem
644 client/key.pem
755 server
644 server/ca.pem
644 server/cert.pem
600 server/key.pem" ]
	cmp "$D/ca/cert.pem" "$D/server/ca.pem"
	cmp "$D/ca/cert.pem" "$D/client/ca.pem"
	openssl verify -CAfile "$D/server/ca.pem" "$D/server/cert.pem"
	openssl verify -CAfile "$D/client/ca.pem" "$D/client/cert.pem"
	[ "$(pubkey "$D/server/cert.pem")" = "$(pubkey "$D/server/key.pem")" ]
	[ "$(pubkey "$D/client/cert.pem")" = "$(pubkey "$D/client/key.pem")" ]
	[ "$(pubkey "$D/ca/cert.pem")" = "$(pubkey "$D/ca/key.pem")" ]
	no_temps
}

@test "existing folders keep their modes (the images make /certs and /certs/client 1777)" {
	mkdir -p "$D/client"
	chmod 1777 "$D" "$D/client"
	run -0 certs -q
	[ -z "$output" ]
	[ "$(stat -c %a "$D")" = 1777 ]
	[ "$(stat -c %a "$D/client")" = 1777 ]
	[ "$(stat -c %a "$D/server")" = 755 ]
	[ "$(stat -c %a "$D/client/key.pem")" = 644 ]
}

@test "certificates: subjects, usages, 825 days from an hour ago, random serials, ECDSA P-256, SHA-256" {
	run -0 certs
	subj() { openssl x509 -in "$1" -noout -subject -issuer -nameopt RFC2253 | tr '\n' ' '; }
	[ "$(subj "$D/ca/cert.pem")" = "subject=CN=docker:dind CA issuer=CN=docker:dind CA " ]
	[ "$(subj "$D/server/cert.pem")" = "subject=CN=docker:dind server issuer=CN=docker:dind CA " ]
	[ "$(subj "$D/client/cert.pem")" = "subject=CN=docker:dind client issuer=CN=docker:dind CA " ]
	ext() { openssl x509 -in "$1" -noout -ext "$2" | tr -s ' \n' ' ' | sed 's/ $//'; }
	[ "$(ext "$D/ca/cert.pem" basicConstraints)" = "X509v3 Basic Constraints: critical CA:TRUE" ]
	[ "$(ext "$D/ca/cert.pem" keyUsage)" = "X509v3 Key Usage: critical Digital Signature, Certificate Sign" ]
	ext "$D/ca/cert.pem" subjectKeyIdentifier | grep -q '^X509v3 Subject Key Identifier: [0-9A-F:]*$'
	[ "$(ext "$D/server/cert.pem" extendedKeyUsage)" = "X509v3 Extended Key Usage: TLS Web Server Authentication" ]
	[ "$(ext "$D/server/cert.pem" keyUsage)" = "X509v3 Key Usage: critical Digital Signature" ]
	[ "$(ext "$D/server/cert.pem" basicConstraints)" = "X509v3 Basic Constraints: critical CA:FALSE" ]
	[ "$(ext "$D/client/cert.pem" extendedKeyUsage)" = "X509v3 Extended Key Usage: TLS Web Client Authentication" ]
	[ "$(ext "$D/client/cert.pem" subjectAltName)" = "" ]
	local now serials=""
	now=$(date +%s)
	for c in ca server client; do
		f=$D/$c/cert.pem
		openssl x509 -in "$f" -noout -text | grep -q 'Signature Algorithm: ecdsa-with-SHA256'
		openssl pkey -in "$D/$c/key.pem" -noout -text | grep -q 'NIST CURVE: P-256'
		start=$(date -d "$(openssl x509 -in "$f" -noout -startdate | cut -d= -f2)" +%s)
		end=$(date -d "$(openssl x509 -in "$f" -noout -enddate | cut -d= -f2)" +%s)
		[ $((end - start)) -eq $((825 * 86400)) ]
		[ "$start" -le $((now - 3500)) ] && [ "$start" -ge $((now - 3700)) ]
		serial=$(openssl x509 -in "$f" -noout -serial | cut -d= -f2)
		# 128 random bits: at most 32 hex digits (more than 16 but for a 1 in 2^64 chance)
		[ "${#serial}" -le 32 ] && [ "${#serial}" -gt 16 ]
		serials="$serials $serial"
	done
	[ "$(echo "$serials" | tr ' ' '\n' | sed '/^$/d' | sort -u | wc -l)" -eq 3 ]
}

@test "rsa: DIND_TLS_KEY_TYPE=rsa makes RSA 4096 keys; --key-type wins; existing keys are kept" {
	DIND_TLS_KEY_TYPE=rsa run -0 certs
	[[ "$output" == *"new rsa 4096 keys: ca, server, client"* ]]
	for c in ca server client; do
		openssl pkey -in "$D/$c/key.pem" -noout -text | grep -q 'Private-Key: (4096 bit'
		openssl x509 -in "$D/$c/cert.pem" -noout -text | grep -q 'Signature Algorithm: sha256WithRSAEncryption'
	done
	openssl x509 -in "$D/server/cert.pem" -noout -ext keyUsage | grep -q 'Digital Signature, Key Encipherment'
	openssl verify -CAfile "$D/client/ca.pem" "$D/server/cert.pem" "$D/client/cert.pem"
	# asked for ecdsa on RSA keys: kept, with a warning
	before=$(snapshot "$D")
	DIND_TLS_KEY_TYPE=rsa run -0 certs --key-type ecdsa
	[[ "$output" == *"warning: $D/ca/key.pem is an rsa 4096 key: kept (the key type applies to new keys; remove the key files to get ecdsa ones)"* ]]
	[[ "$output" == *"reused: all certificates valid"* ]]
	[ "$(snapshot "$D")" = "$before" ]
	# --key-type ecdsa over DIND_TLS_KEY_TYPE=rsa for new keys
	DIND_TLS_KEY_TYPE=rsa run -0 certs --dir "$T/other" --key-type ecdsa
	openssl pkey -in "$T/other/server/key.pem" -noout -text | grep -q 'NIST CURVE: P-256'
}

@test "server names: every interface address, the hostname and its /etc/hosts names, docker, localhost, DOCKER_TLS_SAN; sorted, once each" {
	printf '127.0.0.1 localhost\n10.9.9.9 unrelated.example unrelated\n# dind-test in a comment\n10.1.2.3  dind-test.corp.example dind-test dind-alias\n10.1.2.4 dind-test second-line.example\n' >"$T/hosts"
	echo dind-file-name >"$T/hostname"
	# a network namespace of our own: lo and what we put there, nothing that comes and goes
	cat >"$T/in-ns.sh" <<EOF
set -e
ip link set lo up
ip addr add 10.200.0.1/32 dev lo
hostname dind-test.corp.example
mount --bind "$T/hosts" /etc/hosts
mount --bind "$T/hostname" /etc/hostname
ip -oneline address | awk '{ sub(/\/.*/, "", \$4); print \$4 }' >"$T/ip-addresses"
DOCKER_TLS_SAN='DNS:dind.example, IP:10.0.0.5,ip:2001:DB8::1,,DNS:docker,DNS:Dind.Example.' exec strace -f -o "$T/strace" -e trace=openat,socket,connect "$DIND_CERTS"
EOF
	export_strace_asan
	run -0 unshare --net --uts --mount sh "$T/in-ns.sh"
	echo "$output"
	# docker:dind's `hostname -f` (the first name on the line), `-s`, the aliases, /etc/hostname
	want="DNS:dind-alias,DNS:dind-file-name,DNS:dind-test,DNS:dind-test.corp.example,DNS:dind.example,DNS:docker,DNS:localhost,IP Address:10.0.0.5,IP Address:10.200.0.1,IP Address:127.0.0.1"
	if grep -qx '::1' "$T/ip-addresses"; then
		want="$want,IP Address:0:0:0:0:0:0:0:1"
	fi
	want="$want,IP Address:2001:DB8:0:0:0:0:0:1"
	echo "got:  $(sans "$D/server/cert.pem")"
	echo "want: $want"
	[ "$(sans "$D/server/cert.pem")" = "$want" ]
	n=$(echo "$want" | tr ',' '\n' | wc -l)
	[[ "$output" == *"server certificate for $n names (dind-alias, dind-file-name, dind-test, dind-test.corp.example, dind.example, docker, localhost, 10.0.0.5, 10.200.0.1, 127.0.0.1, "* ]]
	# the same addresses as docker:dind's `ip -oneline address`
	grep -c . "$T/ip-addresses"
	while read -r a; do
		openssl x509 -in "$D/server/cert.pem" -noout -checkip "$a" | grep -q 'does match'
	done <"$T/ip-addresses"
	# names without DNS or NSS: no resolver files read, no IP socket opened
	refute grep -E 'nsswitch.conf|resolv.conf|host.conf|AF_INET' "$T/strace"
}

@test "bad DOCKER_TLS_SAN entries: exit 1 quoting the entry and the accepted forms; nothing written" {
	for entry in 'RID:1.2.3' 'dirName:dir_sect' 'otherName:1.2.3.4;UTF8:x' 'dind.example' 'DNS:' \
		'IP:' 'IP:10.0.0.256' 'IP:host.example' 'IP:[::1]' 'DNS:bad name' 'DNS:-x.example' \
		'email:' 'email:no-at-sign' 'email:a b@example.com' 'URI:' 'URI:no-scheme' \
		'URI:https://a..example/' 'URI:https://x.example/a b'; do
		DOCKER_TLS_SAN="DNS:good.example,$entry" run -1 certs
		echo "$entry: $output"
		[ "$output" = "dind-certs: error: DOCKER_TLS_SAN: bad entry '$entry': use DNS:name, IP:address (IPv4 or IPv6), email:user@domain or URI:scheme:... (an absolute URI of at most 1024 bytes), comma-separated, e.g. DOCKER_TLS_SAN=DNS:dind.example,IP:10.0.0.5" ]
	done
	[ ! -e "$D" ]
}

@test "DOCKER_TLS_SAN: URI: and email: entries go into the server certificate; kept on the next run; Go's TLS takes it" {
	DOCKER_TLS_SAN='DNS:dind.example, URI:spiffe://ci.example/ns/dind,email:CI@Example.COM,uri:https://dind.example:2376/' run -0 certs
	echo "$output"
	[[ "$output" == *"server certificate for "*" names (dind.example, docker, localhost, "*", CI@example.com, https://dind.example:2376/, spiffe://ci.example/ns/dind); client certificate; new ecdsa P-256 keys: ca, server, client" ]]
	echo "$(sans "$D/server/cert.pem")"
	sans "$D/server/cert.pem" | grep -q '^DNS:dind.example,DNS:docker,DNS:localhost,'
	[ "$(sans "$D/server/cert.pem" | grep -o 'email:.*')" = "email:CI@example.com,URI:https://dind.example:2376/,URI:spiffe://ci.example/ns/dind" ]
	openssl x509 -in "$D/server/cert.pem" -noout -checkemail CI@example.com | grep -q 'does match'
	# the same names, in another order, the domains in another case: nothing re-signed
	before=$(snapshot "$D")
	DOCKER_TLS_SAN='email:CI@example.com.,DNS:Dind.Example,URI:https://dind.example:2376/,URI:spiffe://ci.example/ns/dind' run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: reused: all certificates valid"* ]]
	[ "$(snapshot "$D")" = "$before" ]
	# a local part is case-sensitive (RFC 5321): another name
	DOCKER_TLS_SAN='email:ci@example.com,DNS:dind.example,URI:https://dind.example:2376/,URI:spiffe://ci.example/ns/dind' run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: server certificate (names changed) for "*", ci@example.com, "* ]]
	sans "$D/server/cert.pem" | grep -q ',email:ci@example.com,'

	# Go's crypto/x509 refuses a whole certificate over a URI it cannot parse: the docker CLI
	# takes this one
	docker=$(command -v docker) || skip "no docker CLI (Go's TLS) on this machine"
	port=$(free_port)
	tls_server 127.0.0.1 "$port"
	DOCKER_CERT_PATH=$D/client run timeout 20 "$docker" -H "tcp://localhost:$port" --tlsverify system dial-stdio </dev/null
	run -0 server_done
	[[ "$output" == *"User-Agent: Docker-Client/"* ]]
}

@test "a second run changes no file, reuses the keys and says so; -q says nothing" {
	run -0 certs
	before=$(snapshot "$D")
	run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: reused: all certificates valid (server until "*", "*" names: "*"docker, localhost, "*"127.0.0.1"* ]]
	[ "$(snapshot "$D")" = "$before" ]
	run -0 certs -q
	[ -z "$output" ]
	[ "$(snapshot "$D")" = "$before" ]
}

@test "a changed DOCKER_TLS_SAN re-signs the server certificate only" {
	local others=(ca/key.pem ca/cert.pem server/key.pem server/ca.pem client/key.pem client/cert.pem client/ca.pem)
	run -0 certs
	cp "$D/server/cert.pem" "$T/old-server.pem"
	before=$(stats "$D" "${others[@]}")
	DOCKER_TLS_SAN=DNS:new.example run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: server certificate (names changed) for "*"docker, localhost, new.example, "* ]]
	sans "$D/server/cert.pem" | grep -q 'DNS:new.example'
	refute cmp -s "$D/server/cert.pem" "$T/old-server.pem"
	# the rest untouched: same content, same inode, same times
	[ "$(stats "$D" "${others[@]}")" = "$before" ]
	openssl verify -CAfile "$D/server/ca.pem" "$D/server/cert.pem"
	# and the same names again: kept
	before=$(snapshot "$D")
	DOCKER_TLS_SAN=DNS:new.example run -0 certs
	[[ "$output" == *"reused"* ]]
	[ "$(snapshot "$D")" = "$before" ]
}

# server_cert_by_openssl DAYS: replace server/cert.pem with one the openssl CLI signs with the CA,
# with the same names, valid for DAYS days
server_cert_by_openssl() {
	local san
	san=$(sans "$D/server/cert.pem" | sed 's/IP Address:/IP:/g')
	printf 'extendedKeyUsage = serverAuth\nkeyUsage = critical, digitalSignature\nsubjectAltName = %s\n' "$san" >"$T/ext.cnf"
	openssl req -new -key "$D/server/key.pem" -subj '/CN=docker:dind server' -out "$T/server.csr"
	openssl x509 -req -in "$T/server.csr" -CA "$D/ca/cert.pem" -CAkey "$D/ca/key.pem" \
		-CAcreateserial -CAserial "$T/ca.srl" -days "$1" -extfile "$T/ext.cnf" -out "$D/server/cert.pem"
}

@test "a server certificate that expires in 10 days is re-signed; one valid 100 days is kept" {
	run -0 certs
	server_cert_by_openssl 100
	before=$(snapshot "$D")
	run -0 certs
	[[ "$output" == *"reused: all certificates valid"* ]]
	[ "$(snapshot "$D")" = "$before" ]

	server_cert_by_openssl 10
	local others=(ca/key.pem ca/cert.pem server/key.pem server/ca.pem client/key.pem client/cert.pem client/ca.pem)
	before=$(stats "$D" "${others[@]}")
	run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: server certificate (expires within 30 days) for "* ]]
	end=$(date -d "$(openssl x509 -in "$D/server/cert.pem" -noout -enddate | cut -d= -f2)" +%s)
	[ "$end" -gt $(($(date +%s) + 800 * 86400)) ]
	[ "$(stats "$D" "${others[@]}")" = "$before" ]
	openssl verify -CAfile "$D/server/ca.pem" "$D/server/cert.pem"
}

@test "a removed CA certificate is re-made from the same key; server and client certificates re-signed" {
	run -0 certs
	keys=$(stats "$D" ca/key.pem server/key.pem client/key.pem)
	cp -a "$D" "$T/before"
	rm "$D/ca/cert.pem"
	run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: new CA; server certificate (new CA) for "*" names ("*"); client certificate (new CA)" ]]
	[ "$(stats "$D" ca/key.pem server/key.pem client/key.pem)" = "$keys" ]
	[ "$(pubkey "$D/ca/cert.pem")" = "$(pubkey "$T/before/ca/cert.pem")" ]
	for f in server/cert.pem client/cert.pem server/ca.pem client/ca.pem; do
		refute cmp -s "$D/$f" "$T/before/$f"
	done
	cmp "$D/ca/cert.pem" "$D/server/ca.pem"
	cmp "$D/ca/cert.pem" "$D/client/ca.pem"
	openssl verify -CAfile "$D/client/ca.pem" "$D/server/cert.pem" "$D/client/cert.pem"
}

@test "client/ca.pem is written last; with a new CA the old one goes first" {
	export_strace_asan
	run -0 in_netns strace -f -y -o "$T/trace" -e trace=rename,renameat,renameat2,unlinkat "$DIND_CERTS"
	grep -c rename "$T/trace"
	[ "$(grep -c 'rename' "$T/trace")" -eq 8 ]
	tail -n 2 "$T/trace" | head -n 1 | grep -q "rename.*<$D/client>, \"ca.pem\") = 0"
	# every other file before it
	in_order "$T/trace" "<$D/ca>, \"key.pem\")" "<$D/ca>, \"cert.pem\")" "<$D/server>, \"key.pem\")" \
		"<$D/server>, \"cert.pem\")" "<$D/server>, \"ca.pem\")" "<$D/client>, \"key.pem\")" \
		"<$D/client>, \"cert.pem\")" "<$D/client>, \"ca.pem\")"

	rm "$D/ca/cert.pem"
	run -0 in_netns strace -f -y -o "$T/trace" -e trace=rename,renameat,renameat2,unlinkat "$DIND_CERTS"
	cat "$T/trace"
	head -n 1 "$T/trace" | grep -q "unlinkat(.*<$D/client>, \"ca.pem\", 0) = 0"
	tail -n 2 "$T/trace" | head -n 1 | grep -q "rename.*<$D/client>, \"ca.pem\") = 0"
}

@test "two dind-certs sharing one client folder (two containers, one /certs/client volume): always one whole set" {
	# A/client and B/client are one folder (bind mounts, in a mount namespace of our own); A and
	# B have CAs of their own. Each round runs both at once: whichever writes last, client/ holds
	# its key, certificate and CA, never a mix of two sets.
	cat >"$T/race.sh" <<EOF
set -e
ip link set lo up
mkdir -p "$T/A/client" "$T/B/client" "$T/shared"
mount --bind "$T/shared" "$T/A/client"
mount --bind "$T/shared" "$T/B/client"
for i in \$(seq 30); do
	"$DIND_CERTS" -q --dir "$T/A" 2>>"$T/A.err" & a=\$!
	"$DIND_CERTS" -q --dir "$T/B" 2>>"$T/B.err" & b=\$!
	ra=0 rb=0
	wait \$a || ra=\$?
	wait \$b || rb=\$?
	echo "round \$i: exit \$ra \$rb"
	if cmp -s "$T/shared/ca.pem" "$T/A/ca/cert.pem"; then echo "  ca.pem of A"; fi
	if cmp -s "$T/shared/ca.pem" "$T/B/ca/cert.pem"; then echo "  ca.pem of B"; fi
	openssl verify -CAfile "$T/shared/ca.pem" "$T/shared/cert.pem" >/dev/null 2>&1 || echo "  MIXED: cert.pem not signed by ca.pem"
	[ "\$(openssl x509 -in "$T/shared/cert.pem" -noout -pubkey)" = "\$(openssl pkey -in "$T/shared/key.pem" -pubout)" ] || echo "  MIXED: cert.pem not of key.pem"
done
EOF
	run -0 unshare --mount --net sh "$T/race.sh"
	echo "$output"
	cat "$T/A.err" "$T/B.err"
	[ "$(grep -c '^round .*: exit 0 0$' <<<"$output")" -eq 30 ]
	[ "$(grep -c '^  ca.pem of [AB]$' <<<"$output")" -eq 30 ]
	refute grep -q MIXED <<<"$output"
	[ ! -s "$T/A.err" ] && [ ! -s "$T/B.err" ]
	[ "$(ls -A "$T/shared")" = "ca.pem
cert.pem
key.pem" ]
}

# own_ca NAME: a CA of the user's own, made with the openssl CLI, in $T/NAME.{key,pem}
own_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/$1.key" \
		-out "$T/$1.pem" -subj "/CN=$1" -days 100 2>/dev/null
}

# own_server CA DAYS DIR: a server key and certificate signed by CA into DIR/{key,cert}.pem
own_server() {
	mkdir -p "$3"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$3/key.pem" \
		-subj '/CN=my-dind' -out "$T/own.csr" 2>/dev/null
	printf 'extendedKeyUsage = serverAuth\nsubjectAltName = DNS:my-dind.example\n' >"$T/own.cnf"
	openssl x509 -req -in "$T/own.csr" -CA "$T/$1.pem" -CAkey "$T/$1.key" -CAcreateserial \
		-CAserial "$T/$1.srl" -days "$2" -extfile "$T/own.cnf" -out "$3/cert.pem" 2>/dev/null
}

@test "bring your own server certificate: checked, never touched, nothing else made" {
	own_ca myca
	own_server myca 90 "$D/server"
	cp "$T/myca.pem" "$D/server/ca.pem"
	before=$(snapshot "$D")
	run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: your own server certificate, valid until "*", checked and left as it is (no ca/key.pem: nothing signed)" ]]
	[ "$(snapshot "$D")" = "$before" ]
	[ ! -e "$D/ca" ] && [ ! -e "$D/client" ]
	# expiring soon: a warning, still fine
	own_server myca 10 "$D/server"
	run -0 certs
	[[ "$output" == *"warning: $D/server/cert.pem expires on "*": replace it soon (dind-certs does not sign without ca/key.pem)"* ]]
}

@test "broken bring-your-own: an error naming the file, and nothing touched" {
	own_ca myca
	own_ca otherca
	own_server myca 90 "$D/server"
	cp "$T/otherca.pem" "$D/server/ca.pem"
	before=$(snapshot "$D")
	run -1 certs
	echo "$output"
	[[ "$output" == "dind-certs: error: $D/server/cert.pem does not verify against $D/server/ca.pem (unable to get local issuer certificate): "* ]]
	[ "$(snapshot "$D")" = "$before" ]

	cp "$T/myca.pem" "$D/server/ca.pem"
	mv "$D/server/key.pem" "$T/good.key"
	openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 -out "$D/server/key.pem"
	run -1 certs
	[ "$output" = "dind-certs: error: $D/server/cert.pem is not the certificate of $D/server/key.pem: put the matching certificate and key there" ]

	echo 'not a key' >"$D/server/key.pem"
	run -1 certs
	[ "$output" = "dind-certs: error: $D/server/key.pem is not a PEM private key: dockerd needs the unencrypted PEM private key of $D/server/cert.pem" ]

	mv "$T/good.key" "$D/server/key.pem"
	echo 'not a certificate' >"$D/server/cert.pem"
	run -1 certs
	[ "$output" = "dind-certs: error: $D/server/cert.pem holds no PEM certificate: put the server certificate there" ]
	[ ! -e "$D/ca" ] && [ ! -e "$D/client" ]
}

@test "ca/cert.pem without ca/key.pem and without server files: an error saying what to provide" {
	own_ca myca
	mkdir -p "$D/ca"
	cp "$T/myca.pem" "$D/ca/cert.pem"
	run -1 certs
	[ "$output" = "dind-certs: error: $D/ca/cert.pem is there but not ca/key.pem: add ca/key.pem (the CA's key) to let dind-certs sign, or bring server/ca.pem, server/cert.pem and server/key.pem, or remove $D/ca/cert.pem to get a new CA" ]
	[ "$(ls "$D")" = ca ]
}

@test "a CA or server key that is not a usable PEM key is an error and is kept" {
	run -0 certs
	echo 'precious, but not a key' >"$D/ca/key.pem"
	before=$(snapshot "$D")
	run -1 certs
	[ "$output" = "dind-certs: error: $D/ca/key.pem is not a PEM private key: fix it, or remove it to get a new CA key (the certificates it signs are then re-made too)" ]
	[ "$(snapshot "$D")" = "$before" ]

	rm -r "$D"
	run -0 certs
	openssl pkey -in "$D/server/key.pem" -aes128 -passout pass:secret -out "$T/enc.pem"
	cp "$T/enc.pem" "$D/server/key.pem"
	before=$(snapshot "$D")
	run -1 certs </dev/null
	[ "$output" = "dind-certs: error: $D/server/key.pem is encrypted with a passphrase: fix it, or remove it to get a new server key (the certificates it signs are then re-made too)" ]
	[ "$(snapshot "$D")" = "$before" ]
	no_temps
}

@test "client folder (shared with jobs): links are not followed; a bad key, a FIFO or a link is replaced" {
	run -0 certs
	echo precious >"$T/target"
	ln -sf "$T/target" "$D/client/key.pem"
	rm "$D/client/cert.pem"
	mkfifo "$D/client/cert.pem"
	run -0 certs
	echo "$output"
	[[ "$output" == *"warning: $D/client/key.pem is a symbolic link: replaced with a new key"* ]]
	[[ "$output" == *"certs: client certificate (not a PEM certificate); new ecdsa P-256 keys: client" ]]
	[ "$(cat "$T/target")" = precious ]
	[ -f "$D/client/key.pem" ] && [ ! -L "$D/client/key.pem" ] && [ -f "$D/client/cert.pem" ]
	[ "$(stat -c %a "$D/client/key.pem")" = 644 ]
	[ "$(pubkey "$D/client/cert.pem")" = "$(pubkey "$D/client/key.pem")" ]
	openssl verify -CAfile "$D/client/ca.pem" "$D/client/cert.pem"

	echo garbage >"$D/client/key.pem"
	run -0 certs
	[[ "$output" == *"warning: $D/client/key.pem is not a PEM private key: replaced with a new key"* ]]
	[ "$(pubkey "$D/client/cert.pem")" = "$(pubkey "$D/client/key.pem")" ]

	# the folder itself a link: refused
	mv "$D/client" "$T/client-elsewhere"
	ln -s "$T/client-elsewhere" "$D/client"
	run -1 certs
	[ "$output" = "dind-certs: error: $D/client is a symbolic link: remove it (dind-certs makes the folder)" ]
}

@test "client folder: a key the docker CLI cannot use, or a weak one, is replaced; usable ones are kept" {
	run -0 certs
	# what a job could plant: each replaced with a warning naming the reason
	genkey() { openssl genpkey "$@" -out "$D/client/key.pem" 2>/dev/null; }
	for k in X25519 ED25519 ED448 DSA RSA-1024 secp112r1 secp256k1 P-256-explicit; do
		case $k in
		DSA)
			openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -out "$T/dsa.param" 2>/dev/null
			genkey -paramfile "$T/dsa.param"
			why="DSA, a type Go's TLS cannot use" ;;
		RSA-1024)
			genkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024
			why="rsa 1024, too weak: rsa keys need at least 2048 bits" ;;
		secp*)
			genkey -algorithm EC -pkeyopt ec_paramgen_curve:$k
			why="ecdsa $k, a curve Go's TLS does not take" ;;
		P-256-explicit)
			genkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -pkeyopt ec_param_enc:explicit
			why="ecdsa P-256, explicit curve parameters, which Go's TLS cannot read" ;;
		ED25519)
			genkey -algorithm $k
			why="ED25519, not a type dind-certs keeps for a client" ;;
		*)
			genkey -algorithm $k
			why="$k, a type Go's TLS cannot use" ;;
		esac
		run -0 certs
		echo "$k: $output"
		[ "${lines[0]}" = "dind-certs: warning: $D/client/key.pem is not a usable client key ($why): replaced with a new key (client keys kept: ecdsa (P-256, P-384 or P-521) or rsa (2048 to 8192 bits))" ]
		[[ "${lines[1]}" == "dind-certs: $D: client certificate (not the certificate of its key); new ecdsa P-256 keys: client" ]]
		openssl pkey -in "$D/client/key.pem" -noout -text | grep -q 'NIST CURVE: P-256'
		[ "$(pubkey "$D/client/cert.pem")" = "$(pubkey "$D/client/key.pem")" ]
		openssl verify -CAfile "$D/client/ca.pem" "$D/client/cert.pem"
	done
	# usable client keys of another kind than dind-certs makes: kept, the certificate re-signed
	for k in "EC ec_paramgen_curve:P-384" "EC ec_paramgen_curve:P-521" "RSA rsa_keygen_bits:2048"; do
		openssl genpkey -algorithm ${k% *} -pkeyopt ${k#* } -out "$D/client/key.pem"
		cp "$D/client/key.pem" "$T/kept.pem"
		run -0 certs
		echo "$k: $output"
		[ "$output" = "dind-certs: $D: client certificate (not the certificate of its key)" ]
		cmp "$D/client/key.pem" "$T/kept.pem"
		[ "$(pubkey "$D/client/cert.pem")" = "$(pubkey "$D/client/key.pem")" ]
	done
}

@test "a CA or server key of a type or size Go's TLS cannot use is an error naming the file, and is kept" {
	run -0 certs
	usable="ecdsa (P-256, P-384 or P-521), rsa (2048 to 8192 bits) or ed25519"
	openssl genpkey -algorithm X25519 -out "$D/ca/key.pem"
	before=$(snapshot "$D")
	run -1 certs
	[ "$output" = "dind-certs: error: $D/ca/key.pem is not a usable CA key (X25519, a type Go's TLS cannot use): replace it with an $usable key, or remove it to get a new CA key (the certificates it signs are then re-made too)" ]
	[ "$(snapshot "$D")" = "$before" ]

	rm -r "$D"
	run -0 certs
	openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$D/server/key.pem"
	before=$(snapshot "$D")
	run -1 certs
	[ "$output" = "dind-certs: error: $D/server/key.pem is not a usable server key (rsa 1024, too weak: rsa keys need at least 2048 bits): replace it with an $usable key, or remove it to get a new server key (the certificates it signs are then re-made too)" ]
	[ "$(snapshot "$D")" = "$before" ]

	# ed25519: Go's TLS takes it for a CA and a server; kept, and the certificates signed with it
	openssl genpkey -algorithm ED25519 -out "$D/server/key.pem"
	openssl genpkey -algorithm ED25519 -out "$D/ca/key.pem"
	run -0 certs
	echo "$output"
	[[ "$output" == "dind-certs: $D: new CA (the old one: not the certificate of its key); server certificate (new CA) for "*"; client certificate (new CA)" ]]
	openssl verify -CAfile "$D/client/ca.pem" "$D/server/cert.pem" "$D/client/cert.pem"
	[ "$(pubkey "$D/server/cert.pem")" = "$(pubkey "$D/server/key.pem")" ]

	# bring your own: the same rule for the server key
	rm -r "$D"
	own_ca myca
	mkdir -p "$D/server"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:secp256k1 -nodes -keyout "$D/server/key.pem" \
		-subj '/CN=my-dind' -out "$T/own.csr" 2>/dev/null
	openssl x509 -req -in "$T/own.csr" -CA "$T/myca.pem" -CAkey "$T/myca.key" -CAcreateserial \
		-CAserial "$T/myca.srl" -days 90 -out "$D/server/cert.pem" 2>/dev/null
	cp "$T/myca.pem" "$D/server/ca.pem"
	before=$(snapshot "$D")
	run -1 certs
	[ "$output" = "dind-certs: error: $D/server/key.pem is not a usable server key (ecdsa secp256k1, a curve Go's TLS does not take): dockerd and the docker CLI need an $usable key; bring a certificate for one" ]
	[ "$(snapshot "$D")" = "$before" ]
}

@test "client folder: an empty folder where a client file goes is removed and replaced; one with something in it is an error, nothing touched" {
	run -0 certs
	for f in key.pem cert.pem ca.pem; do
		rm "$D/client/$f"
		mkdir "$D/client/$f"
	done
	run -0 certs
	echo "$output"
	[ "${lines[0]}" = "dind-certs: warning: $D/client/key.pem was an empty folder: removed, the file goes there" ]
	[ "${lines[1]}" = "dind-certs: warning: $D/client/cert.pem was an empty folder: removed, the file goes there" ]
	[ "${lines[2]}" = "dind-certs: warning: $D/client/ca.pem was an empty folder: removed, the file goes there" ]
	[ "${lines[3]}" = "dind-certs: $D: client certificate; new ecdsa P-256 keys: client" ]
	[ "${#lines[@]}" -eq 4 ]
	for f in key.pem cert.pem ca.pem; do
		[ -f "$D/client/$f" ] && [ "$(stat -c %a "$D/client/$f")" = 644 ]
	done
	cmp "$D/ca/cert.pem" "$D/client/ca.pem"
	[ "$(pubkey "$D/client/cert.pem")" = "$(pubkey "$D/client/key.pem")" ]
	openssl verify -CAfile "$D/client/ca.pem" "$D/client/cert.pem"

	# something in the folder: never deleted; an error saying what to remove, nothing written
	for f in key.pem cert.pem ca.pem; do
		mv "$D/client/$f" "$T/saved.pem"
		mkdir -p "$D/client/$f/sub"
		echo precious >"$D/client/$f/sub/data"
		before=$(snapshot "$D")
		run -1 certs
		echo "$f: $output"
		[ "$output" = "dind-certs: error: $D/client/$f is a folder with something in it, where the file goes: dind-certs removes only an empty folder there; remove it yourself (rm -r $D/client/$f, after saving what you need from it), then start again" ]
		[ "$(snapshot "$D")" = "$before" ]
		[ "$(cat "$D/client/$f/sub/data")" = precious ]
		rm -r "$D/client/$f"
		mv "$T/saved.pem" "$D/client/$f"
	done
	no_temps
	run -0 certs
	[[ "$output" == *"reused: all certificates valid"* ]]
}

@test "kept files get their modes back" {
	run -0 certs
	chmod 600 "$D/client/key.pem" "$D/client/cert.pem"
	chmod 644 "$D/ca/key.pem"
	inodes=$(stat -c '%i %Y' "$D/ca/key.pem" "$D/client/key.pem" "$D/client/cert.pem")
	sums=$(sha256sum "$D/ca/key.pem" "$D/client/key.pem" "$D/client/cert.pem")
	run -0 certs
	echo "$output"
	[ "$output" = "dind-certs: $D: modes set: ca/key.pem 0600, client/key.pem 0644, client/cert.pem 0644" ]
	[ "$(stat -c %a "$D/ca/key.pem") $(stat -c %a "$D/client/key.pem") $(stat -c %a "$D/client/cert.pem")" = "600 644 644" ]
	# the same files, not rewritten
	[ "$(stat -c '%i %Y' "$D/ca/key.pem" "$D/client/key.pem" "$D/client/cert.pem")" = "$inodes" ]
	[ "$(sha256sum "$D/ca/key.pem" "$D/client/key.pem" "$D/client/cert.pem")" = "$sums" ]
}

@test "a missing or changed CA copy is written again, and nothing else" {
	run -0 certs
	local others=(ca/key.pem ca/cert.pem server/key.pem server/cert.pem client/key.pem client/cert.pem)
	before=$(stats "$D" "${others[@]}")
	rm "$D/server/ca.pem"
	echo '# changed' >>"$D/client/ca.pem"
	run -0 certs
	[ "$output" = "dind-certs: $D: CA copies updated" ]
	cmp "$D/ca/cert.pem" "$D/server/ca.pem"
	cmp "$D/ca/cert.pem" "$D/client/ca.pem"
	[ "$(stats "$D" "${others[@]}")" = "$before" ]
}

@test "temporary files a killed dind-certs left behind are removed; other files are not" {
	run -0 certs
	echo half >"$D/client/.key.pem.dind-certs-tmp-0123456789abcdef"
	echo half >"$D/ca/.cert.pem.dind-certs-tmp-fedcba9876543210"
	echo mine >"$D/client/.keep-me"
	before=$(snapshot "$D" | grep -v dind-certs-tmp | grep -v -e '^ ' -e '^ca ' -e '^client ')
	run -0 certs
	[[ "$output" == *"reused: all certificates valid"* ]]
	no_temps
	[ "$(cat "$D/client/.keep-me")" = mine ]
	[ "$(snapshot "$D" | grep -v -e '^ ' -e '^ca ' -e '^client ')" = "$before" ]
}

@test "ca/ and server/ may hold links (a Kubernetes secret volume): followed; a read-only one still works" {
	run -0 certs
	# the layout of a secret volume: name -> ..data/name
	mkdir -p "$T/secret/..data"
	mv "$D/ca/key.pem" "$D/ca/cert.pem" "$T/secret/..data/"
	ln -s ..data/key.pem "$T/secret/key.pem"
	ln -s ..data/cert.pem "$T/secret/cert.pem"
	chmod 644 "$T/secret/..data/key.pem"
	rmdir "$D/ca"
	ln -s "$T/secret" "$D/ca"
	before=$(snapshot "$D/server"; snapshot "$D/client")
	# read-only: the mode cannot be set, a warning, the set is used as it is
	run -0 unshare --net --mount sh -c "ip link set lo up && mount --bind '$T/secret' '$T/secret' && mount -o remount,bind,ro '$T/secret' && exec '$DIND_CERTS'"
	echo "$output"
	[[ "$output" == *"warning: cannot give $D/ca/key.pem mode 0600 (Read-only file system): it stays 0644"* ]]
	[[ "$output" == *"reused: all certificates valid"* ]]
	# writable: the key behind the link gets 0600, the links stay
	run -0 certs
	[ "$output" = "dind-certs: $D: modes set: ca/key.pem 0600" ]
	[ -L "$T/secret/key.pem" ] && [ -L "$D/ca" ]
	[ "$(stat -c %a "$T/secret/..data/key.pem")" = 600 ]
	[ "$(snapshot "$D/server"; snapshot "$D/client")" = "$before" ]
}

@test "unwritable folder (not root, chmod 555): a clear error and no temporary files" {
	chmod 755 "$T"
	mkdir -p "$D"
	chmod 555 "$D"
	run -1 in_netns setpriv --reuid=65534 --regid=65534 --clear-groups "$DIND_CERTS"
	echo "$output"
	[ "$output" = "dind-certs: error: cannot write $D/ca (Permission denied): mount a writable volume on $D, or set DOCKER_TLS_CERTDIR= to turn TLS off" ]
	[ -z "$(ls -A "$D")" ]

	# writable folders, but one file cannot be replaced: what was begun is cleaned up
	chmod 755 "$D"
	run -0 certs
	rm "$D/server/cert.pem"
	mkdir -p "$D/server/cert.pem/in-the-way"
	run -1 certs
	echo "$output"
	[ "$output" = "dind-certs: error: cannot write $D/server/cert.pem (Is a directory): remove it" ]
	[ -d "$D/server/cert.pem/in-the-way" ]
	no_temps
}

@test "read-only folder: a clear error; with valid certificates there, they are used as they are" {
	mkdir -p "$D"
	run -1 unshare --net --mount sh -c "ip link set lo up && mount --bind '$D' '$D' && mount -o remount,bind,ro '$D' && exec '$DIND_CERTS'"
	echo "$output"
	[ "$output" = "dind-certs: error: cannot write $D/ca (Read-only file system): mount a writable volume on $D, or set DOCKER_TLS_CERTDIR= to turn TLS off" ]
	run -0 certs
	run -0 unshare --net --mount sh -c "ip link set lo up && mount --bind '$D' '$D' && mount -o remount,bind,ro '$D' && exec '$DIND_CERTS'"
	[[ "$output" == *"reused: all certificates valid"* ]]
	no_temps
}

# tls_server ADDR PORT: openssl s_server with the server certificate, requiring a client
# certificate signed by server/ca.pem, for one connection; log in $T/server.log. Its stdin is a
# FIFO it holds open itself: s_server quits at the end of its input.
tls_server() {
	: >"$T/server.log"
	[ -p "$T/server.in" ] || mkfifo "$T/server.in"
	timeout 30 openssl s_server -accept "$1:$2" -naccept 1 -cert "$D/server/cert.pem" \
		-key "$D/server/key.pem" -CAfile "$D/server/ca.pem" -Verify 1 -verify_return_error \
		<>"$T/server.in" >"$T/server.log" 2>&1 3>&- &
	SERVER_PID=$!
	wait_for_line "$T/server.log" '^ACCEPT'
}

# tls_client ADDR PORT CERTDIR ARGS...: openssl s_client with CERTDIR's client certificate
tls_client() {
	local addr=$1 port=$2 dir=$3
	shift 3
	timeout 30 openssl s_client -connect "$addr:$port" -cert "$dir/cert.pem" -key "$dir/key.pem" \
		-CAfile "$dir/ca.pem" -verify_return_error "$@" </dev/null
}

server_done() {
	wait "$SERVER_PID" || true
	SERVER_PID=
	cat "$T/server.log"
}

@test "TLS with OpenSSL: the client certificate is accepted, on 127.0.0.1 and ::1, names verified; others fail" {
	run -0 certs
	port=$(free_port)
	tls_server 127.0.0.1 "$port"
	run -0 tls_client 127.0.0.1 "$port" "$D/client" -verify_hostname localhost -verify_ip 127.0.0.1
	[[ "$output" == *"Verify return code: 0 (ok)"* ]]
	run -0 server_done
	[[ "$output" == *"subject=CN = docker:dind client"* ]]
	refute grep -q ERROR <<<"$output"

	if openssl x509 -in "$D/server/cert.pem" -noout -checkip ::1 | grep -q 'does match' &&
		ip -6 addr show dev lo 2>/dev/null | grep -q 'inet6 ::1/'; then
		tls_server '[::1]' "$port"
		run -0 tls_client '[::1]' "$port" "$D/client" -verify_hostname docker -verify_ip ::1
		[[ "$output" == *"Verify return code: 0 (ok)"* ]]
		run -0 server_done
		[[ "$output" == *"subject=CN = docker:dind client"* ]]
	fi

	# a name the certificate does not have
	tls_server 127.0.0.1 "$port"
	run -1 tls_client 127.0.0.1 "$port" "$D/client" -verify_hostname not-this.example
	[[ "$output" == *"Verify return code: 62 (hostname mismatch)"* ]]
	server_done

	# a client certificate from another CA: the server refuses it
	run -0 certs --dir "$T/other" -q
	mkdir "$T/mixed"
	cp "$D/client/ca.pem" "$T/mixed/ca.pem"
	cp "$T/other/client/cert.pem" "$T/other/client/key.pem" "$T/mixed/"
	tls_server 127.0.0.1 "$port"
	run tls_client 127.0.0.1 "$port" "$T/mixed"
	run -0 server_done
	[[ "$output" == *"certificate verify failed"* ]]
	refute grep -q 'subject=CN = docker:dind client' <<<"$output"
	# and a client that trusts another CA refuses the server
	tls_server 127.0.0.1 "$port"
	run -1 tls_client 127.0.0.1 "$port" "$T/other/client"
	[[ "$output" == *"certificate verify failed"* ]]
	server_done
}

@test "TLS with Go (the docker CLI, as CI jobs use it): the client files work as DOCKER_CERT_PATH" {
	docker=$(command -v docker) || skip "no docker CLI (Go's TLS) on this machine"
	run -0 certs
	run -0 certs --dir "$T/other" -q
	port=$(free_port)
	# the CLI's first request (HEAD /_ping) arrives only over a connection it verified: the
	# server's name and CA, and its client certificate accepted by the server
	for host in localhost 127.0.0.1; do
		tls_server 127.0.0.1 "$port"
		DOCKER_CERT_PATH=$D/client run timeout 20 "$docker" -H "tcp://$host:$port" --tlsverify system dial-stdio </dev/null
		run -0 server_done
		[[ "$output" == *"subject=CN = docker:dind client"* ]]
		[[ "$output" == *"User-Agent: Docker-Client/"* ]]
	done
	# another CA's files: nothing gets through
	tls_server 127.0.0.1 "$port"
	DOCKER_CERT_PATH=$T/other/client run timeout 20 "$docker" -H "tcp://127.0.0.1:$port" --tlsverify system dial-stdio </dev/null
	run -0 server_done
	refute grep -q 'User-Agent' <<<"$output"
	# an address that is not in the certificate
	tls_server 0.0.0.0 "$port"
	DOCKER_CERT_PATH=$D/client run timeout 20 "$docker" -H "tcp://127.0.0.2:$port" --tlsverify system dial-stdio </dev/null
	run -0 server_done
	refute grep -q 'User-Agent' <<<"$output"
}
