#include "supervisor/control.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "config/parse.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/usock.h"
#include "supervisor/command.h"
#include "supervisor/control_proto.h"
#include "supervisor/service.h"

enum client_phase { CLIENT_FREE, CLIENT_READING, CLIENT_WAITING, CLIENT_WRITING };

struct client {
	enum client_phase phase;
	int fd;
	struct loop_fd lfd;
	struct loop_timer idle;
	size_t inlen;
	char in[CONTROL_LINE_MAX];
	size_t outlen, outoff;
	char *out;	/* CONTROL_REPLY_MAX bytes */
	bool read_only; /* not root (a member of control_group, or denied): status, health and
			 * wait only; counts against the slots not kept for root */
	bool denied;	/* neither root nor a member: gets "permission denied" to any request */
	/* `wait`: the services waited for (all when nwait == 0 and wait_all) */
	bool wait_all;
	int nwait;
	int wait_idx[CONTROL_NAMES_MAX];
};

static int listen_fd = -1;
static struct loop_fd listen_lfd;
static bool has_group;
static gid_t group_gid;
static char socket_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
static struct usock_bound socket_bound;
static struct client clients[CONTROL_CLIENTS_MAX];
static struct loop_timer accept_timer;
static struct loop_timer refused_timer; /* armed: refusals are counted, not logged */
static unsigned long refused_quiet;	/* refusals since the last warning */

static void on_accept_timer(void *data)
{
	(void)data;
	if (listen_fd >= 0)
		(void)loop_mod_fd(&listen_lfd, EPOLLIN);
}

static void drop(struct client *c)
{
	loop_del_fd(&c->lfd);
	loop_timer_disarm(&c->idle);
	if (c->fd >= 0)
		(void)close(c->fd);
	c->fd = -1;
	c->phase = CLIENT_FREE;
}

static void put(struct client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct client *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->outlen >= CONTROL_REPLY_MAX)
		return;
	va_start(ap, fmt);
	n = vsnprintf(c->out + c->outlen, CONTROL_REPLY_MAX - c->outlen, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	c->outlen += (size_t)n;
	if (c->outlen >= CONTROL_REPLY_MAX) {
		/* Cannot happen with the documented limits; still end on a well-formed line. */
		static const char tail[] = "\nerror answer too long\n";

		c->outlen = CONTROL_REPLY_MAX - sizeof(tail);
		memcpy(c->out + c->outlen, tail, sizeof(tail) - 1);
		c->outlen += sizeof(tail) - 1;
	}
}

static void flush_out(struct client *c)
{
	while (c->outoff < c->outlen) {
		ssize_t n = send(c->fd, c->out + c->outoff, c->outlen - c->outoff,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return; /* EPOLLOUT brings us back */
			drop(c);
			return;
		}
		c->outoff += (size_t)n;
	}
	drop(c); /* one request per connection */
}

static void reply(struct client *c)
{
	c->phase = CLIENT_WRITING;
	loop_timer_arm_in(&c->idle, CONTROL_IDLE_MS);
	if (loop_mod_fd(&c->lfd, EPOLLOUT) < 0) {
		drop(c);
		return;
	}
	flush_out(c);
}

/* "none" (no health check), "ok", "failing"; NULL while no probe has run in this run. */
static const char *health_word(const struct service *s)
{
	if (s->cfg->health.kind == PROBE_NONE)
		return "none";
	if (!s->health_probed)
		return NULL;
	return s->health_failures > 0 ? "failing" : "ok";
}

/* The STATUS column: what init holds a waiting service back for, else its last STATUS= text. */
static const char *status_text(const struct service *s, char *buf, size_t len)
{
	const char *held = svc_held_for(s);

	if (held) {
		snprintf(buf, len, "waits for %s", held);
		return buf;
	}
	return s->has_status ? s->status : NULL;
}

static void status_table(struct client *c, const bool *shown)
{
	int64_t now = now_ms();
	char dbuf[32], pid[16], last[16], held[64];
	const char *health, *text;

	put(c, "%-16s %-10s %-8s %-8s %-8s %-9s %-8s %s\n", "SERVICE", "STATE", "PID", "RESTARTS",
	    "AGE", "LAST-EXIT", "HEALTH", "STATUS");
	for (int i = 0; i < svc_count(); i++) {
		const struct service *s = svc_get(i);

		if (!shown[i])
			continue;
		health = health_word(s);
		text = status_text(s, held, sizeof(held));
		snprintf(pid, sizeof(pid), s->pid > 0 ? "%d" : "-", (int)s->pid);
		snprintf(last, sizeof(last), s->last_status >= 0 ? "%d" : "-", s->last_status);
		put(c, "%-16s %-10s %-8s %-8d %-8s %-9s %-8s %s\n", s->cfg->name,
		    svc_state_name(s->state), pid, s->restarts,
		    format_age(now - s->state_since, dbuf, sizeof(dbuf)), last,
		    health ? health : "-", text ? text : "");
	}
	switch (cmd_state()) {
	case CMD_NONE:
		put(c, "main command: none\n");
		break;
	case CMD_WAITING:
		put(c, "main command: waiting\n");
		break;
	case CMD_RUNNING:
		put(c, "main command: running (pid %d)\n", (int)cmd_pid());
		break;
	case CMD_EXITED:
		put(c, "main command: exited (status %d)\n", cmd_exit_code());
		break;
	}
	put(c, "ok\n");
}

static void status_json(struct client *c, const bool *shown)
{
	int64_t now = now_ms();
	char esc[2 * NOTIFY_STATUS_MAX + 8];
	static const char *const main_states[] = { "none", "waiting", "running", "exited" };
	char held[64];
	const char *health, *text;
	bool first = true;

	put(c, "{\"services\":[");
	for (int i = 0; i < svc_count(); i++) {
		const struct service *s = svc_get(i);

		if (!shown[i])
			continue;
		health = health_word(s);
		put(c, "%s{\"name\":\"%s\",\"state\":\"%s\",", first ? "" : ",", s->cfg->name,
		    svc_state_name(s->state));
		first = false;
		if (s->pid > 0)
			put(c, "\"pid\":%d,", (int)s->pid);
		else
			put(c, "\"pid\":null,");
		put(c, "\"restarts\":%d,\"since_ms\":%lld,", s->restarts,
		    (long long)(now - s->state_since));
		if (s->last_status >= 0)
			put(c, "\"last_exit\":%d,", s->last_status);
		else
			put(c, "\"last_exit\":null,");
		if (health)
			put(c, "\"health\":\"%s\",", health);
		else
			put(c, "\"health\":null,");
		put(c, "\"health_failures\":%d,", s->health_failures);
		text = status_text(s, held, sizeof(held));
		if (text) {
			json_escape(text, esc, sizeof(esc));
			put(c, "\"status\":\"%s\"}", esc);
		} else {
			put(c, "\"status\":null}");
		}
	}
	put(c, "],\"main\":{\"state\":\"%s\",", main_states[cmd_state()]);
	if (cmd_state() == CMD_RUNNING)
		put(c, "\"pid\":%d,", (int)cmd_pid());
	else
		put(c, "\"pid\":null,");
	if (cmd_state() == CMD_EXITED)
		put(c, "\"exit\":%d}}\n", cmd_exit_code());
	else
		put(c, "\"exit\":null}}\n");
	put(c, "ok\n");
}

static void health(struct client *c)
{
	int n = 0;

	for (int i = 0; i < svc_count(); i++) {
		const struct service *s = svc_get(i);
		char dbuf[32];

		if (s->cfg->type == SVC_ONESHOT || s->state == SVC_SKIPPED)
			continue;
		n++;
		if (s->state != SVC_READY) {
			put(c, "error unhealthy: %s is %s (for %s)\n", s->cfg->name,
			    svc_state_name(s->state),
			    format_age(now_ms() - s->state_since, dbuf, sizeof(dbuf)));
			return;
		}
		if (s->health_failures > 0) {
			put(c, "error unhealthy: %s failed its last %d health probe%s\n",
			    s->cfg->name, s->health_failures, s->health_failures == 1 ? "" : "s");
			return;
		}
	}
	put(c, "ok healthy: %d service%s ready\n", n, n == 1 ? "" : "s");
}

/* For `wait`: 1 = answered (all ready, or one of them can never be), 0 = keep waiting. */
static int check_wait(struct client *c)
{
	int total = c->wait_all ? svc_count() : c->nwait;
	char names[512];
	size_t pos = 0;
	bool all_ready = true;

	names[0] = '\0';
	for (int k = 0; k < total; k++) {
		const struct service *s = svc_get(c->wait_all ? k : c->wait_idx[k]);

		if (svc_is_ready(s)) {
			pos += (size_t)snprintf(names + pos, sizeof(names) - pos, "%s%s",
						pos ? ", " : "", s->cfg->name);
			if (pos >= sizeof(names))
				pos = sizeof(names) - 1;
			continue;
		}
		/* Look at every service, not just up to the first one not ready yet: a FAILED one
		 * further on answers the question now. */
		if (svc_is_hopeless(s)) {
			put(c, "error failed: %s is %s and will not become ready\n", s->cfg->name,
			    s->state == SVC_FAILED || s->state == SVC_STOPPED
				    ? svc_state_name(s->state)
				    : "waiting on a failed dependency");
			return 1;
		}
		all_ready = false;
	}
	if (!all_ready)
		return 0;
	put(c, "ok ready: %s\n", total ? names : "(no services)");
	return 1;
}

/* dind-ctl start, stop, restart: the service's event (svc_event), and the answer. Each returns
 * 0, or -errno with the reason in buf. */
static int request_start(struct service *s, char *buf, size_t len)
{
	if (svc_shutting_down()) {
		snprintf(buf, len, "the container is shutting down");
		return -ECANCELED;
	}
	if (s->state == SVC_SKIPPED) {
		char conds[256];

		snprintf(buf, len, "%s is skipped: when %s did not hold at start-up", s->cfg->name,
			 cond_format(&s->cfg->when, conds, sizeof(conds)));
		return -EPERM;
	}
	if (svc_event(s, EV_START_REQ, 0) && s->state != SVC_WAITING) {
		snprintf(buf, len, "started %s", s->cfg->name);
		return 0;
	}
	if (s->state == SVC_WAITING) {
		const char *held = svc_held_for(s);

		snprintf(buf, len, "%s waits for %s", s->cfg->name,
			 held ? held : "its dependencies");
		return 0;
	}
	snprintf(buf, len, "%s is already running (%s)", s->cfg->name, svc_state_name(s->state));
	return -EALREADY;
}

static int request_stop(struct service *s, char *buf, size_t len)
{
	bool was_stopping = s->state == SVC_STOPPING || s->state == SVC_UNHEALTHY;
	bool was_running = svc_is_running(s);

	(void)svc_event(s, EV_STOP_REQ, 0);
	if (was_stopping)
		snprintf(buf, len, "%s is already stopping", s->cfg->name);
	else if (was_running)
		snprintf(buf, len, "stopping %s", s->cfg->name);
	else
		snprintf(buf, len, "%s is %s", s->cfg->name, svc_state_name(s->state));
	return 0;
}

static int request_restart(struct service *s, char *buf, size_t len)
{
	bool was_stopping = s->state == SVC_STOPPING || s->state == SVC_UNHEALTHY;

	if (svc_shutting_down()) {
		snprintf(buf, len, "the container is shutting down");
		return -ECANCELED;
	}
	if (!svc_is_running(s))
		return request_start(s, buf, len);
	(void)svc_event(s, EV_RESTART_REQ, 0);
	if (was_stopping)
		snprintf(buf, len, "%s is stopping; it will start again", s->cfg->name);
	else
		snprintf(buf, len, "restarting %s", s->cfg->name);
	return 0;
}

static void handle(struct client *c, char *line)
{
	struct ctl_request req;
	const char *err;
	char msg[256];
	struct service *s = NULL;
	bool shown[MAX_SERVICES];
	int r;

	if (c->denied) {
		if (has_group)
			put(c,
			    "error permission denied: only root and members of group %u "
			    "(control_group) may use dind-ctl\n",
			    (unsigned)group_gid);
		else
			put(c, "error permission denied: only root may use dind-ctl\n");
		reply(c);
		return;
	}
	if (ctl_parse_request(line, &req, &err) < 0) {
		put(c, "error %s\n", err);
		reply(c);
		return;
	}
	if (c->read_only && req.verb != CTL_STATUS && req.verb != CTL_STATUS_JSON &&
	    req.verb != CTL_HEALTH && req.verb != CTL_WAIT) {
		put(c,
		    "error permission denied: only root may start, stop, restart or kill "
		    "services; members of group %u may use status, health and wait\n",
		    (unsigned)group_gid);
		reply(c);
		return;
	}
	for (int i = 0; i < req.nnames; i++) {
		if (!svc_find(req.names[i])) {
			put(c, "error unknown service '%s' (dind-ctl status lists them%s)\n",
			    req.names[i],
			    req.verb == CTL_STATUS && strcmp(req.names[i], "json") == 0
				    ? "; JSON is dind-ctl status --json"
				    : "");
			reply(c);
			return;
		}
	}
	/* status NAME...: only those, in the table's order; none named: all of them. */
	for (int i = 0; i < svc_count(); i++)
		shown[i] = req.nnames == 0;
	for (int i = 0; i < req.nnames; i++)
		shown[svc_find(req.names[i])->idx] = true;
	if (req.nnames > 0)
		s = svc_find(req.names[0]);
	switch (req.verb) {
	case CTL_STATUS:
		status_table(c, shown);
		break;
	case CTL_STATUS_JSON:
		status_json(c, shown);
		break;
	case CTL_HEALTH:
		health(c);
		break;
	case CTL_WAIT:
		c->wait_all = req.nnames == 0;
		c->nwait = req.nnames;
		for (int i = 0; i < req.nnames; i++)
			c->wait_idx[i] = svc_find(req.names[i])->idx;
		if (!check_wait(c)) {
			/* Answered later, from control_services_changed(); no idle limit meanwhile.
			 */
			c->phase = CLIENT_WAITING;
			loop_timer_disarm(&c->idle);
			return;
		}
		break;
	case CTL_START:
	case CTL_STOP:
	case CTL_RESTART:
	case CTL_KILL:
		r = req.verb == CTL_START     ? request_start(s, msg, sizeof(msg))
		    : req.verb == CTL_STOP    ? request_stop(s, msg, sizeof(msg))
		    : req.verb == CTL_RESTART ? request_restart(s, msg, sizeof(msg))
					      : svc_request_kill(s, req.signal, msg, sizeof(msg));
		put(c, "%s %s\n", r < 0 ? "error" : "ok", msg);
		break;
	}
	reply(c);
}

static void on_client(void *data, uint32_t events)
{
	struct client *c = data;

	if (c->phase == CLIENT_WRITING) {
		flush_out(c);
		return;
	}
	if (c->phase == CLIENT_WAITING) {
		/* Gone: drop it. Only its sending side closed (printf 'wait\n' | socat ...): it
		 * still reads, so stop watching for input (HUP and ERR come anyway) and answer
		 * later as usual. */
		if (events & (EPOLLHUP | EPOLLERR))
			drop(c);
		else if (events & (EPOLLIN | EPOLLRDHUP))
			(void)loop_mod_fd(&c->lfd, 0);
		return;
	}
	for (;;) {
		ssize_t n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, MSG_DONTWAIT);
		char *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			drop(c);
			return;
		}
		c->inlen += (size_t)n;
		nl = memchr(c->in, '\n', c->inlen);
		if (nl) {
			*nl = '\0';
			handle(c, c->in);
			return;
		}
		if (c->inlen == sizeof(c->in)) {
			log_debug(
				"control socket: dropped a client whose request line is too long");
			put(c, "error request line too long (limit %d bytes)\n", CONTROL_LINE_MAX);
			reply(c);
			return;
		}
	}
}

static void on_idle(void *data)
{
	struct client *c = data;

	log_debug("control socket: dropped an idle client");
	drop(c);
}

/* A client that reconnects in a loop must not flood the log: the first refusal is logged, the
 * ones within the next CONTROL_REFUSED_LOG_MS are counted and logged as one line when it ends. */
static void log_refused(bool root, uid_t uid)
{
	if (loop_timer_armed(&refused_timer)) {
		refused_quiet++;
		return;
	}
	if (root)
		log_warn("control socket %s: refusing a connection from uid %u: all %d client "
			 "slots are taken; look for clients that keep connections open (dind-ctl "
			 "wait); further refusals are counted and logged every %d s",
			 socket_path, (unsigned)uid, CONTROL_CLIENTS_MAX,
			 CONTROL_REFUSED_LOG_MS / 1000);
	else
		log_warn(
			"control socket %s: refusing a connection from uid %u: clients other "
			"than root hold %d connections already, the most they may (%d more are "
			"kept for root); look for a member of control_group that keeps connections "
			"open; further refusals are counted and logged every %d s",
			socket_path, (unsigned)uid, CONTROL_CLIENTS_MAX - CONTROL_CLIENTS_ROOT,
			CONTROL_CLIENTS_ROOT, CONTROL_REFUSED_LOG_MS / 1000);
	loop_timer_arm_in(&refused_timer, CONTROL_REFUSED_LOG_MS);
}

static void on_refused_timer(void *data)
{
	(void)data;
	if (refused_quiet == 0)
		return; /* quiet again: the next refusal is logged at once */
	log_warn("control socket %s: refused %lu more connection%s in the last %d s (too many "
		 "clients)",
		 socket_path, refused_quiet, refused_quiet == 1 ? "" : "s",
		 CONTROL_REFUSED_LOG_MS / 1000);
	refused_quiet = 0;
	loop_timer_arm_in(&refused_timer, CONTROL_REFUSED_LOG_MS);
}

/* A free slot for a new client, or NULL: root may take any, others only while they hold fewer
 * than CONTROL_CLIENTS_MAX - CONTROL_CLIENTS_ROOT. */
static struct client *free_slot(bool root)
{
	struct client *c = NULL;
	int others = 0;

	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		if (clients[i].phase == CLIENT_FREE)
			c = c ? c : &clients[i];
		else if (clients[i].read_only)
			others++;
	}
	if (!root && others >= CONTROL_CLIENTS_MAX - CONTROL_CLIENTS_ROOT)
		return NULL;
	return c;
}

/* Is the peer in control_group: as its primary group, or among its supplementary groups
 * (SO_PEERGROUPS, Linux 4.13)? */
static bool peer_in_group(int fd, const struct ucred *cred)
{
	gid_t groups[256];
	socklen_t len = sizeof(groups);

	if (!has_group)
		return false;
	if (cred->gid == group_gid)
		return true;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &len) < 0)
		return false; /* ERANGE with more than 256 groups: not for us */
	for (size_t i = 0; i < len / sizeof(gid_t); i++)
		if (groups[i] == group_gid)
			return true;
	return false;
}

static void on_accept(void *data, uint32_t events)
{
	(void)data;
	(void)events;
	for (;;) {
		int fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct ucred cred = { .pid = 0, .uid = (uid_t)-1, .gid = (gid_t)-1 };
		socklen_t len = sizeof(cred);
		struct client *c = NULL;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN) {
				/* Out of fds or memory: the socket stays readable, so stop watching
				 * it for a moment instead of looping on the same error. */
				log_warn_errno(errno,
					       "control socket %s: accept; pausing it for %d ms",
					       socket_path, CONTROL_ACCEPT_PAUSE_MS);
				(void)loop_mod_fd(&listen_lfd, 0);
				loop_timer_arm_in(&accept_timer, CONTROL_ACCEPT_PAUSE_MS);
			}
			return;
		}
		bool root = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0 &&
			    (cred.uid == 0 || cred.uid == geteuid());

		/* A client that may not ask anything still gets its request read, and then the
		 * reason: closing with its request unread would reset the connection, and it would
		 * see "Connection reset by peer" instead. */
		bool denied = !root && !peer_in_group(fd, &cred);

		if (denied)
			log_debug("control socket: refusing a client with uid %d", (int)cred.uid);
		c = free_slot(root);
		if (!c) {
			static const char busy[] = "error too many clients, try again\n";
			char drain[CONTROL_LINE_MAX];

			log_refused(root, cred.uid);
			/* No slot to read its request later: take what it sent already, so that
			 * the close does not reset the connection before it reads why. */
			(void)!recv(fd, drain, sizeof(drain), MSG_DONTWAIT);
			(void)!send(fd, busy, sizeof(busy) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
			(void)close(fd);
			continue;
		}
		c->fd = fd;
		c->read_only = !root;
		c->denied = denied;
		c->inlen = c->outlen = c->outoff = 0;
		c->phase = CLIENT_READING;
		if (loop_add_fd(&c->lfd, fd, EPOLLIN | EPOLLRDHUP, on_client, c) < 0) {
			(void)close(fd);
			c->fd = -1;
			c->phase = CLIENT_FREE;
			continue;
		}
		loop_timer_arm_in(&c->idle, CONTROL_IDLE_MS);
	}
}

void control_services_changed(void)
{
	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		struct client *c = &clients[i];

		if (c->phase == CLIENT_WAITING && check_wait(c))
			reply(c);
	}
}

int control_init(const char *path, bool with_group, gid_t gid)
{
	int r;

	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++) {
		clients[i].fd = -1;
		clients[i].lfd.fd = -1;
		clients[i].phase = CLIENT_FREE;
		loop_timer_init(&clients[i].idle, on_idle, &clients[i]);
	}
	loop_timer_init(&accept_timer, on_accept_timer, NULL);
	loop_timer_init(&refused_timer, on_refused_timer, NULL);
	refused_quiet = 0;
	if (!path)
		return 0;
	if (strlen(path) >= sizeof(socket_path))
		return -ENAMETOOLONG;
	/* One allocation for all answer buffers, made now: the loop itself never allocates.
	 * Pages that are never written are never resident. */
	char *bufs = calloc(CONTROL_CLIENTS_MAX, CONTROL_REPLY_MAX);

	if (!bufs)
		return -ENOMEM;
	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++)
		clients[i].out = bufs + (size_t)i * CONTROL_REPLY_MAX;
	snprintf(socket_path, sizeof(socket_path), "%s", path);
	/* Group members may connect; what they may ask is decided per request. */
	has_group = with_group;
	group_gid = gid;
	r = usock_open(&listen_lfd, path,
		       &(struct usock_opts){ .type = SOCK_STREAM,
					     .owner_only = true,
					     .set_group = with_group,
					     .gid = gid },
		       on_accept, NULL, &socket_bound);
	if (r < 0)
		return r;
	listen_fd = r;
	if (socket_bound.replaced)
		log_warn("the control socket %s was served by another process (uid %u): replaced "
			 "by this dind-init's (a process that listens there is not dind-init%s)",
			 path, (unsigned)socket_bound.replaced_uid,
			 socket_bound.replaced_uid == geteuid() ? ", or one that started beside it"
								: "");
	return 0;
}

void control_release(void)
{
	loop_timer_disarm(&refused_timer);
	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++)
		if (clients[i].phase != CLIENT_FREE)
			drop(&clients[i]);
	if (listen_fd >= 0) {
		loop_del_fd(&listen_lfd);
		(void)close(listen_fd);
		usock_unlink(socket_path, &socket_bound);
		listen_fd = -1;
	}
	if (clients[0].out)
		free(clients[0].out);
	for (int i = 0; i < CONTROL_CLIENTS_MAX; i++)
		clients[i].out = NULL;
}
