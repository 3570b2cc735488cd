#!/usr/bin/env bash
# Schema and consistency checks of the CI recipes in recipes/ (CTest: recipes/check), and proof
# that the checks catch broken recipes: each case below copies recipes/ (and the default
# dind-init config), breaks one thing with sed, and expects the checkers to reject the copy
# (exit 1) with a message that names the mistake.
#   tests/recipes/check.sh            all of it
#   tests/recipes/check.sh --recipes  only the real recipes
# Needs node and npm (the validators are pinned in package-lock.json, installed by `npm ci` in
# this folder; tests/run.sh does it, this script too when node_modules is missing) and
# Python >= 3.11 (tomllib).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

for tool in node npm python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "check.sh: $tool is missing: apt-get install nodejs npm python3 (tests/run.sh installs them)" >&2
		exit 1
	fi
done
if [ ! -e "$here/node_modules/kubernetes-models/package.json" ] || [ ! -e "$here/node_modules/yaml/package.json" ]; then
	echo "# installing the pinned validators: npm ci in tests/recipes" >&2
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# check DIR CONFIG: every recipe of DIR (a copy of recipes/), against the dind-init CONFIG.
# Prints the problems; exit 0 (none), 1 (some) or anything else (the checker broke).
check() {
	local dir=$1 config=$2 rc=0 r k8s=()
	for f in "$dir"/kubernetes/*.yaml; do k8s+=("k8s=$f"); done
	node "$here/check.js" --config "$config" "${k8s[@]}" "arc=$dir/arc/values.yaml" \
		"gitlab=$dir/gitlab-ci/.gitlab-ci.yml" || rc=$?
	python3 "$here/check_runner.py" "$dir/gitlab-ci/config.toml" || { r=$?; [ "$rc" -ne 0 ] || rc=$r; }
	return "$rc"
}

passed=0
failed=0
n=0
ok() { n=$((n + 1)) passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)) failed=$((failed + 1))
	echo "not ok $n - $1"
	# shellcheck disable=SC2001 # a prefix on every line
	sed 's/^/#   /' <<<"$2"
}

# The real recipes pass.
if out=$(check "$root/recipes" "$root/config/dind-init.ini" 2>&1); then
	ok "recipes/ pass every check"
else
	not_ok "recipes/ pass every check" "$out"
fi
[ "${1:-}" = --recipes ] && { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }

# broken TITLE FILE SED-EXPRESSION EXPECTED-TEXT
# FILE is relative to recipes/, or dind-init.ini for the config.
broken() {
	local title=$1 file=$2 expr=$3 expect=$4 out rc=0
	rm -rf "$tmp/m" && mkdir "$tmp/m" && cp -r "$root/recipes" "$tmp/m/recipes"
	cp "$root/config/dind-init.ini" "$tmp/m/dind-init.ini"
	local target="$tmp/m/recipes/$file"
	[ "$file" = dind-init.ini ] && target="$tmp/m/dind-init.ini"
	cp "$target" "$tmp/before"
	sed -i -e "$expr" "$target"
	if cmp -s "$target" "$tmp/before"; then
		not_ok "$title" "the sed expression changed nothing in $file: fix this test"
		return
	fi
	out=$(check "$tmp/m/recipes" "$tmp/m/dind-init.ini" 2>&1) || rc=$?
	if [ "$rc" -ne 1 ]; then
		not_ok "$title" "expected exit 1 (rejected), got $rc:
$out"
	elif ! grep -qF -- "$expect" <<<"$out"; then
		not_ok "$title" "rejected, but no line says: $expect
$out"
	else
		ok "$title"
	fi
}

pod=kubernetes/pod.yaml
broken "pod: typo in restartPolicy (Allways)" $pod \
	'0,/^      restartPolicy: Always$/s//      restartPolicy: Allways/' \
	'restartPolicy "Allways": an init container takes only "Always"'
broken "pod: unknown field privilegd" $pod \
	'0,/^        privileged: true$/s//        privilegd: true/' \
	'securityContext.privilegd: unknown field "privilegd"'
broken "pod: wrong type (privileged: \"yes\")" $pod \
	'0,/^        privileged: true$/s//        privileged: "yes"/' \
	'securityContext.privileged must be boolean'
broken "pod: dind container not a sidecar" $pod \
	'0,/^      restartPolicy: Always$/{//d}' \
	'a dind init container must be a sidecar'
broken "pod: startupProbe gives up before dind-ctl wait does" $pod \
	'0,/^        timeoutSeconds: 70$/s//        timeoutSeconds: 60/' \
	'timeoutSeconds 60 must exceed dind-ctl wait --timeout (60 s)'
broken "pod: startupProbe without timeoutSeconds (Kubernetes' 1 s)" $pod \
	'0,/^        timeoutSeconds: 70$/{//d}' \
	'timeoutSeconds 1 must exceed'
broken "pod: grace period shorter than shutdown_timeout" $pod \
	'0,/^  terminationGracePeriodSeconds: 60$/s//  terminationGracePeriodSeconds: 5/' \
	'5 s must exceed dind-init'"'"'s shutdown_timeout'
broken "pod: no volume on /var/lib/docker" $pod \
	'0,/^          mountPath: \/var\/lib\/docker$/s//          mountPath: \/var\/lib\/dockerd/' \
	'mount a volume (emptyDir) on /var/lib/docker'
broken "pod: client on 2375 while TLS is on" $pod \
	's|^          value: tcp://localhost:2376$|          value: tcp://localhost:2375|' \
	'port 2375, but the dind container serves 2376'
broken "pod: client certificates not from the shared volume" $pod \
	'0,/^          value: \/certs\/client$/s//          value: \/certs/' \
	'/certs is not /certs/client of the dind container'
broken "pod: volume name typo in a mount" $pod \
	'0,/^        - name: docker-certs-client$/s//        - name: docker-cert-client/' \
	'no volume "docker-cert-client"'
broken "pod: TLS-off client insists on TLS" $pod \
	's|^          value: tcp://localhost:2375$|          value: tcp://localhost:2375\n        - name: DOCKER_TLS_VERIFY\n          value: "1"|' \
	'TLS is off (port 2375): DOCKER_TLS_VERIFY must not be set'
broken "pod: YAML duplicate key" $pod \
	'0,/^  restartPolicy: Never$/s//  restartPolicy: Never\n  restartPolicy: Always/' \
	'YAML: Map keys must be unique'
broken "pod: unknown kind" $pod \
	's/^kind: NetworkPolicy$/kind: NetworkPolicyy/' \
	'unknown apiVersion/kind networking.k8s.io/v1 NetworkPolicyy'

arc=arc/values.yaml
broken "arc: typo in a chart value (githubConfigURL)" $arc \
	's/^githubConfigUrl:/githubConfigURL:/' \
	'githubConfigURL: not a value of the gha-runner-scale-set chart'
broken "arc: unknown field in template.spec (volumeMount)" $arc \
	'0,/^        volumeMounts:$/s//        volumeMount:/' \
	'unknown field "volumeMount"'
broken "arc: containerMode dind would replace the image" $arc \
	's/^minRunners: 0$/containerMode:\n  type: dind\nminRunners: 0/' \
	'containerMode.type: "dind" makes the chart write its own containers'
# shellcheck disable=SC2016 # $(...) is Kubernetes' syntax here, not the shell's
broken "arc: \$(DOCKER_GROUP_GID) not defined" $arc \
	's/- name: DOCKER_GROUP_GID$/- name: DOCKER_GROUP_ID/' \
	'$(DOCKER_GROUP_GID) names no variable'
broken "arc: runner's socket not on the shared volume" $arc \
	's|value: unix:///var/run/docker.sock$|value: unix:///run/docker/docker.sock|' \
	'/run/docker/docker.sock is not the socket of template.spec.initContainers[1]'
broken "arc: dind sidecar without startupProbe" $arc \
	'/^        startupProbe:$/,/^          failureThreshold: 3$/d' \
	'add a startupProbe (dind-ctl wait)'
broken "config: shutdown_timeout raised above the recipes' grace periods" dind-init.ini \
	'/^shutdown_timeout *=/d; /^\[init\]$/a shutdown_timeout = 90s' \
	"60 s must exceed dind-init's shutdown_timeout (90 s in dind-init.ini)"

gl=gitlab-ci/.gitlab-ci.yml
broken "gitlab: typo in a job keyword (varaibles)" $gl \
	'0,/^  variables:$/s//  varaibles:/' \
	'.dind-tls.varaibles: not a job keyword GitLab reads'
broken "gitlab: typo in a service keyword (allias)" $gl \
	'0,/^      alias: docker$/s//      allias: docker/' \
	'allias: not a service keyword'
broken "gitlab: service alias other than docker" $gl \
	'0,/^      alias: docker$/s//      alias: dind/' \
	'alias "dind": the jobs reach the service as "docker"'
broken "gitlab: TLS off but port 2376" $gl \
	's|^    DOCKER_HOST: tcp://docker:2375$|    DOCKER_HOST: tcp://docker:2376|' \
	'port 2376, but DOCKER_TLS_CERTDIR is empty'
broken "gitlab: port 2375 but TLS on" $gl \
	'0,/^    DOCKER_HOST: tcp:\/\/docker:2376$/s//    DOCKER_HOST: tcp:\/\/docker:2375/' \
	'port 2375, but DOCKER_TLS_CERTDIR is "/certs"'
broken "gitlab: TLS job without DOCKER_CERT_PATH" $gl \
	'/^    DOCKER_CERT_PATH: /d' \
	'the client certificates are in /certs/client'
broken "gitlab: HEALTHCHECK_TCP_PORT on the wrong port" $gl \
	's/HEALTHCHECK_TCP_PORT: "2376"/HEALTHCHECK_TCP_PORT: "2375"/' \
	'HEALTHCHECK_TCP_PORT: 2375, but the job connects to 2376'
broken "gitlab: unknown stage" $gl \
	'0,/^  stage: build$/s//  stage: biuld/' \
	'"biuld" is not in stages'
broken "gitlab: job image without DOCKER_HOST or docker-entrypoint.sh" $gl \
	's/entrypoint: \["docker-entrypoint.sh"\]/entrypoint: ["dind-init"]/' \
	'set DOCKER_HOST (tcp://docker:2376 with TLS)'
broken "gitlab: boolean variable value" $gl \
	's/^    DOCKER_TLS_VERIFY: "1"$/    DOCKER_TLS_VERIFY: true/' \
	"a variable's value must be a string or a number"

toml=gitlab-ci/config.toml
broken "runner: typo privilegd" $toml \
	'0,/^    privileged = true$/s//    privilegd = true/' \
	'docker.privileged: must be true'
broken "runner: no /certs/client volume" $toml \
	's|volumes = \["/certs/client", "/cache"\]|volumes = ["/cache"]|' \
	'add "/certs/client"'
broken "runner: kubernetes without the certificates' empty_dir" $toml \
	's|mount_path = "/certs/client"|mount_path = "/certs"|' \
	'add an empty_dir with mount_path = "/certs/client"'
broken "runner: TOML syntax error" $toml \
	's/^concurrent = 4$/concurrent = /' \
	'Invalid value'

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
