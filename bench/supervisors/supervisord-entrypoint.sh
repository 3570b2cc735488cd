#!/bin/sh
# The supervisord recipe's entrypoint: the setup (dind-setup.sh), then supervisord as PID 1
# (exec, so `docker stop` reaches it). With arguments, they are the job: one more program, last
# in priority, that waits with cruizba/ubuntu-dind's `until docker info; do sleep 1; done` and
# then runs them once (autorestart=false, startsecs=0: its exit is not a failure).
set -eu
# shellcheck source=dind-setup.sh
. /usr/local/bin/dind-setup.sh
rm -f /etc/supervisor/conf.d/job.conf
if [ $# -gt 0 ]; then
	{
		echo '[program:job]'
		printf '%s' "command=/bin/sh -c 'until docker info >/dev/null 2>&1; do sleep 1; done; exec \"\$0\" \"\$@\"'"
		printf ' %s' "$@"
		printf '\npriority=30\nautorestart=false\nstartsecs=0\n'
		printf 'stdout_logfile=/dev/stdout\nstdout_logfile_maxbytes=0\nredirect_stderr=true\n'
	} >/etc/supervisor/conf.d/job.conf
fi
exec supervisord -n -c /etc/supervisor/supervisord.conf
