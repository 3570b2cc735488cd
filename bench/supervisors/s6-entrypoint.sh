#!/bin/sh
# The s6 recipe's entrypoint: the setup (dind-setup.sh), the service directories copied from
# /etc/s6-dind to a scan directory in /run, then s6-svscan as PID 1 (exec). With arguments, they
# are the job: one more service that runs once (s6-svc -O), after `s6-svwait -U` on dockerd
# (up and ready, as its s6-notifyoncheck reports it). s6-svwait fails when the service's
# supervisor has not written its status yet (s6-svscan starts them all at once): it waits for
# s6-svstat to work first.
set -eu
# shellcheck source=dind-setup.sh
. /usr/local/bin/dind-setup.sh
rm -rf /run/service
cp -a /etc/s6-dind /run/service
if [ $# -gt 0 ]; then
	mkdir /run/service/job
	{
		printf '#!/bin/sh\n'
		# dockerd's supervisor may not have written its status yet (all start at once)
		printf 'until s6-svstat ../dockerd >/dev/null 2>&1; do sleep 0.01; done\n'
		printf 's6-svwait -U ../dockerd || exit 1\ns6-svc -O .\nexec'
		for a in "$@"; do
			printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
		done
		echo
	} >/run/service/job/run
	chmod 755 /run/service/job/run
fi
exec s6-svscan /run/service
