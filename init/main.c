/* dind-init: PID 1 for Docker-in-Docker containers. argv, modes and the main loop. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/parse.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "core/loop.h"
#include "core/usock.h"
#include "init/coordinator.h"
#include "init/ctl.h"
#include "init/iptables_shim.h"
#include "init/reap.h"
#include "init/setup.h"
#include "init/setup_rootless.h"
#include "init/shutdown.h"
#include "supervisor/command.h"
#include "supervisor/control.h"
#include "supervisor/output.h"
#include "supervisor/service.h"
#include "supervisor/spawn.h"

#define DEFAULT_CONFIG "/etc/dind-init.ini"

/* config/ depends on nothing of ours, so it has a log level type of its own. */
static enum log_level log_level_of(enum cfg_log_level l)
{
	static const enum log_level map[] = {
		[CFG_LOG_ERROR] = LOG_LEVEL_ERROR,
		[CFG_LOG_WARN] = LOG_LEVEL_WARN,
		[CFG_LOG_INFO] = LOG_LEVEL_INFO,
		[CFG_LOG_DEBUG] = LOG_LEVEL_DEBUG,
	};

	return map[l];
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: dind-init [-c FILE] [-v|-q] [--check-config] [--no-setup] [--version] [--help] "
		"[--] "
		"[COMMAND [ARG...]]\n"
		"\n"
		"Init (PID 1) for Docker-in-Docker containers: reaps zombies, forwards signals,\n"
		"starts the services of FILE in dependency order, runs COMMAND once they are ready\n"
		"and exits with its status.\n"
		"\n"
		"  -c, --config FILE  services file (default: $DIND_INIT_CONFIG, else %s;\n"
		"                     a missing default file means no services)\n"
		"  -v, --verbose      log debug messages\n"
		"  -q, --quiet        log only warnings and errors\n"
		"      --check-config validate the file, print the start order, exit 0 (or 2)\n"
		"      --no-setup     skip the container setup (as [init] setup = no)\n"
		"      --version      print the version\n"
		"  -h, --help         this text\n"
		"\n"
		"Exit status: COMMAND's (128+N if killed by signal N, 127 not found, 126 not\n"
		"executable); 0 after a shutdown by signal without COMMAND; 137 after a forced\n"
		"shutdown (a second stop signal, or shutdown_timeout) unless COMMAND exited before\n"
		"the shutdown began; 2 usage or config error; 3 setup error; 4 a critical service\n"
		"failed; 5 internal error.\n",
		DEFAULT_CONFIG);
}

/* Whether we are the container's init: PID 1, or PID 1's child when PID 1 is not a dind-init
 * (docker run --init's tini). A dind-init started by a job, or orphaned to a dind-init PID 1,
 * is not, whatever its parent pid says. */
static bool container_init(void)
{
	struct stat one, self;

	if (getpid() == 1)
		return true;
	if (getppid() != 1)
		return false;
	/* PID 1's program unknown (unreadable): assume it may be a dind-init, and protect it. */
	if (stat("/proc/1/exe", &one) < 0 || stat("/proc/self/exe", &self) < 0)
		return false;
	return one.st_dev != self.st_dev || one.st_ino != self.st_ino;
}

/* The error when another dind-init serves our control socket, with the dind-ctl command that
 * was probably meant. */
static void another_instance(const struct config *cfg, char **command)
{
	static const char *const verbs[] = {
		"status", "health", "wait", "start", "stop", "restart"
	};

	for (size_t i = 0; command && command[0] && i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		if (strcmp(command[0], verbs[i]) == 0) {
			log_error(
				"another dind-init already serves %s: this one starts nothing; to "
				"ask it, run: dind-ctl %s",
				cfg->control_socket, verbs[i]);
			return;
		}
	}
	log_error("another dind-init already serves %s: this one starts nothing (its services "
		  "would take over the running ones). To ask it, use dind-ctl; to run a second "
		  "dind-init beside it, give it its own [init] control_socket and runtime_dir",
		  cfg->control_socket);
}

static int signal_fd = -1;
static struct loop_fd signal_lfd;
static int args_to_idx = -1; /* [init] args_to: takes HUP, USR1, USR2 without a main command */
static uint64_t ours_logged; /* signals raised for dind-init itself already logged */

static void reap(void)
{
	int r = reap_all();

	if (r < 0)
		log_warn_errno(-r, "waitpid failed");
	if (shutdown_active())
		shutdown_progress();
}

/* Without a main command running (none, not started yet, or exited with on_main_exit =
 * ignore), HUP, USR1 and USR2 go to the args_to service: with docker:dind, `docker kill -s HUP`
 * makes dockerd reload daemon.json. */
static void signal_without_main(int sig)
{
	const char *name = signal_name(sig) ? signal_name(sig) : "?";
	char msg[128];

	if (sig != SIGHUP && sig != SIGUSR1 && sig != SIGUSR2) {
		log_debug("SIG%s received with no main command running: ignored", name);
		return;
	}
	if (args_to_idx < 0) {
		log_info("SIG%s received with no main command running and no [init] args_to "
			 "service to pass it to: ignored",
			 name);
		return;
	}
	if (svc_request_kill(svc_get(args_to_idx), sig, msg, sizeof(msg)) < 0)
		log_info("SIG%s received with no main command running, not passed on: %s", name,
			 msg);
	else
		log_info("SIG%s received with no main command running: %s", name, msg);
}

/* Sent by another process (kill, sigqueue, tgkill, pidfd_send_signal; from outside our PID
 * namespace the sender's pid reads 0), not raised by the kernel: a terminal's Ctrl-C, a
 * socket's urgent data, a real fault. */
static bool sent_by_other(const struct signalfd_siginfo *si)
{
	int code = si->ssi_code;

	return (code == SI_USER || code == SI_QUEUE || code == SI_TKILL) &&
	       si->ssi_pid != (uint32_t)getpid();
}

/* Signals the kernel raises for what dind-init itself did or met: SIGPIPE and SIGXFSZ for our
 * own writes come as SI_USER from our own pid; SIGURG (urgent data on a socket) and the fault
 * signals with a kernel code. Only the fault signals, PIPE and URG are looked at: every other
 * one goes to the main command whoever raised it (the terminal's SIGINT and SIGWINCH are the
 * kernel's). A real fault never gets here: the kernel forces it on us, blocked or not. */
static bool ours(const struct signalfd_siginfo *si)
{
	switch (si->ssi_signo) {
	case SIGSEGV:
	case SIGBUS:
	case SIGILL:
	case SIGFPE:
	case SIGABRT:
	case SIGTRAP:
	case SIGSYS:
	case SIGPIPE:
	case SIGURG:
		return !sent_by_other(si);
	case SIGXFSZ:
		return si->ssi_code == SI_USER && si->ssi_pid == (uint32_t)getpid();
	default:
		return false;
	}
}

static void handle_signal(const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;

	switch (sig) {
	case SIGCHLD:
		reap();
		return;
	case SIGTERM:
	case SIGINT:
	case SIGQUIT:
		/* signalfd hands out the lowest signal number first, not the oldest: a main
		 * command that exited just before this signal (SIGCHLD is 17) has ended on its
		 * own, and its exit begins the shutdown. */
		reap();
		shutdown_stop_signal(sig);
		return;
	case SIGTSTP:
	case SIGTTIN:
	case SIGTTOU:
		return; /* job control is for the main command, not for PID 1 */
	default:
		break;
	}
	if (ours(si)) {
		/* Raised for something dind-init did (a write to a pipe nobody reads, SIGPIPE)
		 * or met; the main command has nothing to do with it. Said once per signal: a
		 * log line to that same pipe raises the next SIGPIPE. */
		if (sig < 64 && !(ours_logged & (1ULL << sig))) {
			ours_logged |= 1ULL << sig;
			log_debug("SIG%s raised by the kernel for dind-init itself (code %d): "
				  "ignored, now and later",
				  signal_name(sig) ? signal_name(sig) : "?", si->ssi_code);
		}
		return;
	}
	if (!cmd_signal(sig))
		signal_without_main(sig);
}

static void on_signalfd(void *data, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)data;
	(void)events;
	for (;;) {
		ssize_t n = read(signal_fd, &si, sizeof(si));

		if (n < 0 && errno == EINTR)
			continue;
		if (n != (ssize_t)sizeof(si))
			break;
		handle_signal(&si);
	}
}

/* Index where COMMAND starts; *opt_end gets the end of our options (a "--" excluded). */
static int options_end(int argc, char **argv, int *opt_end)
{
	static const char *const flags[] = {
		"-v",	      "--verbose", "-q", "--quiet", "--check-config",
		"--no-setup", "--version", "-h", "--help"
	};
	int i = 1;

	while (i < argc) {
		const char *a = argv[i];
		bool known = false;

		if (strcmp(a, "--") == 0) {
			*opt_end = i;
			return i + 1;
		}
		if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
			i += 2; /* a missing FILE is getopt's to report */
			continue;
		}
		if ((strncmp(a, "-c", 2) == 0 && a[2]) || strncmp(a, "--config=", 9) == 0) {
			i++;
			continue;
		}
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]) && !known; k++)
			known = strcmp(a, flags[k]) == 0;
		if (!known)
			break;
		i++;
	}
	if (i > argc)
		i = argc;
	*opt_end = i;
	return i;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* docker:dind's argument forms. COMMAND arguments that start with '-' go to the args_to service
 * (docker run IMAGE --debug); a COMMAND that names the args_to service's program (`dockerd
 * --host=...`, as ARC passes it) becomes that service's whole command line; anything else is the
 * main command. Each service's args_env variable adds arguments too. On an error, says why and
 * returns -1. */
static int add_service_args(struct config *cfg, char ***command)
{
	char **cmd = *command;

	if (cmd && cfg->args_to_idx >= 0 &&
	    strcmp(base_name(cmd[0]), base_name(cfg->services[cfg->args_to_idx].argv[0])) == 0) {
		int n = 0, r;

		while (cmd[n])
			n++;
		/* A bare "dockerd" means the configured program (its path, or a wrapper in its
		 * place); a path is taken as given. */
		if (!strchr(cmd[0], '/'))
			cmd[0] = cfg->services[cfg->args_to_idx].argv[0];
		r = cfg_replace_command(cfg, cfg->args_to_idx, cmd, n);
		if (r < 0) {
			fprintf(stderr,
				"dind-init: cannot use COMMAND as the command line of %s: %s\n",
				cfg->args_to, strerror(-r));
			return -1;
		}
		/* cmd[0] may have pointed at the configured argv[0], which the replacement freed.
		 */
		log_info("COMMAND is %s's own command line (%s ...): it replaces [service:%s] "
			 "command",
			 cfg->args_to, base_name(cfg->services[cfg->args_to_idx].argv[0]),
			 cfg->args_to);
		*command = NULL;
	} else if (cmd && cmd[0][0] == '-') {
		int n = 0, r;

		if (cfg->args_to_idx < 0) {
			fprintf(stderr,
				"dind-init: '%s' is not a dind-init option (see dind-init --help), and no "
				"service takes COMMAND's arguments ([init] args_to)\n",
				cmd[0]);
			return -1;
		}
		while (cmd[n])
			n++;
		r = cfg_append_args(cfg, cfg->args_to_idx, cmd, n);
		if (r < 0) {
			fprintf(stderr, "dind-init: cannot add COMMAND's arguments to %s: %s\n",
				cfg->args_to, strerror(-r));
			return -1;
		}
		log_info("COMMAND starts with '%s': its %d argument%s go%s to service %s", cmd[0],
			 n, n == 1 ? "" : "s", n == 1 ? "es" : "", cfg->args_to);
		*command = NULL;
	}
	for (int i = 0; i < cfg->nservices; i++) {
		const struct cfg_service *c = &cfg->services[i];
		const char *value = c->args_env ? getenv(c->args_env) : NULL;
		const char *err = NULL;
		char **words;
		int n, r;

		if (!value || !*value)
			continue;
		r = argv_split(value, &words, &n, &err);
		if (r < 0) {
			fprintf(stderr, "dind-init: bad $%s for service %s: %s\n", c->args_env,
				c->name, err ? err : strerror(-r));
			return -1;
		}
		r = cfg_append_args(cfg, i, words, n);
		argv_free(words);
		if (r < 0) {
			fprintf(stderr, "dind-init: cannot add $%s to service %s: %s\n",
				c->args_env, c->name, strerror(-r));
			return -1;
		}
		log_info("service %s gets %d more argument%s from $%s", c->name, n,
			 n == 1 ? "" : "s", c->args_env);
	}
	return 0;
}

/* Docker-outside-of-Docker: COMMAND talks to the host's Docker through a mounted socket. Say
 * how to mount it rather than let the docker client fail with a vaguer message. */
static int require_socket(const struct config *cfg)
{
	const char *path = cfg->require_socket;
	const char *why;
	struct stat st;

	if (!path || getenv("DOCKER_HOST"))
		return 0; /* DOCKER_HOST points the client elsewhere */
	if (stat(path, &st) < 0)
		why = errno == ENOENT ? "is missing" : strerror(errno);
	else if (!S_ISSOCK(st.st_mode))
		why = "is not a socket";
	else
		return 0;
	log_error("%s %s: this image uses the host's Docker; run it with -v %s:%s (or set "
		  "DOCKER_HOST)",
		  path, why, path, path);
	return -1;
}

/* `docker run IMAGE dockerd-entrypoint.sh --mtu=1400` (a pod's args naming docker:dind's
 * entrypoint, or `dind dockerd ...`): this program's own names before COMMAND mean the rest is
 * what it was given, not a second dind-init to run as the main command. */
static char **skip_own_names(char **cmd)
{
	static const char *const own[] = { "dind-init", "dockerd-entrypoint.sh", "dind" };

	while (cmd && cmd[0]) {
		size_t k;

		for (k = 0; k < sizeof(own) / sizeof(own[0]); k++)
			if (strcmp(base_name(cmd[0]), own[k]) == 0)
				break;
		if (k == sizeof(own) / sizeof(own[0]))
			break;
		log_info("COMMAND starts with %s, this program's own name: taking what follows as "
			 "COMMAND",
			 cmd[0]);
		cmd++;
	}
	return cmd && cmd[0] ? cmd : NULL;
}

static const char *env_lookup(const char *name, void *ctx)
{
	(void)ctx;
	return getenv(name);
}

/* The final command lines: after the arguments from outside, and after the setup (which may set
 * DOCKER_MTU or PATH). Logs what the conditions decided. */
static int resolve_commands(struct config *cfg, bool quiet)
{
	char err[256], conds[256];

	if (cfg_resolve(cfg, env_lookup, NULL, err, sizeof(err)) < 0) {
		fprintf(stderr, "dind-init: %s\n", err);
		return -1;
	}
	for (int i = 0; i < cfg->nservices && !quiet; i++) {
		const struct cfg_service *svc = &cfg->services[i];

		if (svc->skip)
			log_info("service %s is skipped: when %s does not hold", svc->name,
				 cond_format(&svc->when, conds, sizeof(conds)));
		for (int k = 0; k < svc->nargs_if && !svc->skip; k++)
			if (svc->args_if[k].held)
				log_info("service %s gets %s (args_if %s)", svc->name,
					 svc->args_if[k].expanded ? svc->args_if[k].expanded
								  : svc->args_if[k].words,
					 cond_format(&svc->args_if[k].cond, conds, sizeof(conds)));
	}
	return 0;
}

static int load_config(struct config *cfg, const char *path, bool explicit_path)
{
	int r = cfg_load_file(cfg, path);

	if (r == -ENOENT && !explicit_path) {
		log_debug("no %s: running without services", path);
		return 0;
	}
	if (r == -EINVAL) {
		for (int i = 0; i < cfg->nerrors && i < CFG_ERRORS_MAX; i++)
			fprintf(stderr, "%s\n", cfg->errors[i]);
		if (cfg->nerrors > CFG_ERRORS_MAX)
			fprintf(stderr, "%s: ... and %d more errors\n", path,
				cfg->nerrors - CFG_ERRORS_MAX);
		fprintf(stderr, "dind-init: %d error%s in %s; fix %s and try again\n", cfg->nerrors,
			cfg->nerrors == 1 ? "" : "s", path, cfg->nerrors == 1 ? "it" : "them");
		return -EINVAL;
	}
	if (r == -EMEDIUMTYPE) {
		struct stat st;
		bool dir = stat(path, &st) == 0 && S_ISDIR(st.st_mode);

		fprintf(stderr,
			"dind-init: the config file %s is not a regular file but %s: give a file "
			"(or /dev/null for no services)%s%s\n",
			path, dir ? "a folder" : "a socket or device",
			explicit_path ? " with -c or $DIND_INIT_CONFIG" : "",
			dir ? "; docker run -v makes a folder when the host file it names does not "
			      "exist"
			    : "");
		return r;
	}
	if (r == -ETIMEDOUT) {
		fprintf(stderr,
			"dind-init: the config file %s is a FIFO that nothing was written to within "
			"%d s: give a file%s\n",
			path, CFG_FIFO_WAIT_MS / 1000,
			explicit_path ? " with -c or $DIND_INIT_CONFIG" : "");
		return r;
	}
	if (r < 0) {
		fprintf(stderr, "dind-init: cannot read the config file %s: %s%s\n", path,
			strerror(-r), explicit_path ? " (given with -c or $DIND_INIT_CONFIG)" : "");
		return r;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "no-setup", no_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	const char *path = NULL;
	bool explicit_path = true;
	bool check_only = false;
	bool no_setup = false;
	int level_override = -1;
	int cmd_start, opt_end;
	char **command;
	struct config cfg;
	const char *what;
	uid_t owner;
	int opt, r, code;

	/* A client, not an init: it keeps the signals a command line tool gets. */
	if (strcmp(prog, "dind-ctl") == 0)
		return ctl_main(argc, argv);
	/* iptables & co. from the links folder while the setup's iptables check runs: wait for
	 * the choice and run it (init/iptables_shim.h). */
	if (ipt_is_tool(prog))
		return ipt_shim_main(argc, argv);

	/* Before anything else: no signal may be lost or act on us before the loop reads it. */
	setup_block_signals();

	/* Our log lines never block, from the first one on (a stderr nobody reads). */
	log_setup();

	/* Our options end at "--" or at the first word that is not one of them: that word starts
	 * COMMAND, even when it looks like an option (docker run IMAGE --debug, see args_to). */
	cmd_start = options_end(argc, argv, &opt_end);
	while ((opt = getopt_long(opt_end, argv, "+c:vqh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'v':
			level_override = LOG_LEVEL_DEBUG;
			break;
		case 'q':
			level_override = LOG_LEVEL_WARN;
			break;
		case 'C':
			check_only = true;
			break;
		case 'S':
			no_setup = true;
			break;
		case 'V':
			printf("dind-init %s\n", DIND_INIT_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fprintf(stderr, "dind-init: see 'dind-init --help'\n");
			return EXIT_USAGE;
		}
	}
	if (!path)
		path = getenv("DIND_INIT_CONFIG");
	if (!path || !*path) {
		path = DEFAULT_CONFIG;
		explicit_path = false;
	}
	if (level_override >= 0)
		log_set_level((enum log_level)level_override);
	/* The first line of a -v log: where bench/supervisors.sh's breakdown starts. */
	log_debug("dind-init %s starting as pid %d", DIND_INIT_VERSION, (int)getpid());

	cfg_init(&cfg);
	if (load_config(&cfg, path, explicit_path) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	if (check_only) {
		/* With COMMAND given, show what it would make of the command lines. */
		command = skip_own_names(cmd_start < argc ? argv + cmd_start : NULL);
		if (add_service_args(&cfg, &command) < 0 || resolve_commands(&cfg, true) < 0) {
			cfg_release(&cfg);
			return EXIT_USAGE;
		}
		cfg_print(&cfg, stdout);
		cfg_release(&cfg);
		return 0;
	}
	log_set_level(level_override >= 0 ? (enum log_level)level_override
					  : log_level_of(cfg.log_level));
	if (cfg.insecure_reason)
		log_warn(
			"%s; used anyway because DIND_INIT_STRICT_CONFIG=no is set in the environment",
			cfg.insecure_reason);
	command = skip_own_names(cmd_start < argc ? argv + cmd_start : NULL);
	if (add_service_args(&cfg, &command) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	if (command && require_socket(&cfg) < 0) {
		cfg_release(&cfg);
		return EXIT_SETUP;
	}
	if (!command && cfg.nservices == 0) {
		fprintf(stderr,
			"dind-init: nothing to run: give a COMMAND, or configure services in "
			"%s\n",
			path);
		cfg_release(&cfg);
		return EXIT_USAGE;
	}

	/* A second dind-init in a running container (`dind-init status` typed for `dind-ctl
	 * status`, a job that runs dind-init) would start a second containerd and dockerd and take
	 * the sockets of the first one's: refused before anything is touched. The container's init
	 * (PID 1, or PID 1's child when PID 1 is another init: docker run --init) is never refused:
	 * whatever serves its sockets is an intruder, and it takes them over (a second dind-init
	 * that slipped in while PID 1 was setting up, or a process of a CI job listening in a
	 * /var/run it shares). A socket that a process of another user serves is not another
	 * dind-init: it is taken over too (usock_open). */
	if (cfg.nservices > 0 && container_init()) {
		/* (A plain init with no services leaves another dind-init's socket alone.) */
		usock_take_over_live(true);
	} else if (cfg.nservices > 0 && cfg.control_socket &&
		   usock_in_use(cfg.control_socket, SOCK_STREAM, &owner) && owner == geteuid()) {
		another_instance(&cfg, command);
		cfg_release(&cfg);
		return EXIT_SETUP;
	}

	/* The services get their own NOTIFY_SOCKET; one meant for dind-init itself (when a
	 * service manager runs it) must not leak to all of them. Everyone gets the control
	 * socket, so that dind-ctl works anywhere in the container without -s. */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	if (cfg.control_socket)
		setenv("DIND_INIT_SOCKET", cfg.control_socket, 1);

	if (no_setup)
		cfg.setup.setup = TRI_NO;
	r = setup_container(&cfg);
	if (r != 0) {
		cfg_release(&cfg);
		return r;
	}
	if (resolve_commands(&cfg, false) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	/* After the commands are resolved: a service that `when` skips is not checked. */
	r = setup_rootless(&cfg);
	if (r != 0) {
		cfg_release(&cfg);
		return r;
	}
	output_setup(cfg.service_output == OUTPUT_STDERR ? STDERR_FILENO : STDOUT_FILENO);
	r = setup_subreaper();
	if (r < 0)
		log_warn_errno(-r,
			       "not PID 1 and cannot become a child subreaper: orphans will not "
			       "be reaped by dind-init");
	r = loop_init();
	if (r >= 0)
		r = signal_fd = setup_signalfd();
	if (r >= 0)
		r = loop_add_fd(&signal_lfd, signal_fd, EPOLLIN, on_signalfd, NULL);
	if (r < 0) {
		log_error_errno(-r, "cannot set up the event loop");
		cfg_release(&cfg);
		return EXIT_SETUP;
	}
	r = control_init(cfg.control_socket, cfg.has_control_gid, cfg.control_gid);
	if (r == -EADDRINUSE && cfg.nservices == 0) {
		log_info("another dind-init serves %s: this one, with no services, goes without a "
			 "control socket",
			 cfg.control_socket);
	} else if (r < 0 && cfg.nservices == 0) {
		/* A plain init around COMMAND (as tini is) works without it: as any user, on a
		 * read-only root. */
		log_warn_errno(-r,
			       "cannot create the control socket %s: dind-ctl will not answer "
			       "(there are no services to ask about; [init] control_socket = none "
			       "does not try)",
			       cfg.control_socket);
	} else if (r == -EADDRINUSE) {
		another_instance(&cfg, command);
		control_release();
		cfg_release(&cfg);
		return EXIT_SETUP;
	} else if (r < 0) {
		log_error_errno(-r,
				"cannot create the control socket %s (%sset [init] control_socket "
				"to another path, or to none)",
				cfg.control_socket,
				r == -EEXIST
					? "something that is not a socket is there, a folder "
					  "perhaps (docker run -v of a missing host path makes "
					  "one): remove it, or "
					: "");
		control_release();
		cfg_release(&cfg);
		return EXIT_SETUP;
	}
	r = svc_init_all(&cfg, &what);
	if (r == -EADDRINUSE) {
		log_error(
			"another process serves %s/%s.notify, service %s's notify socket (another "
			"dind-init with the same [init] runtime_dir?): this one starts nothing; give "
			"it a runtime_dir of its own",
			cfg.runtime_dir, what, what);
		control_release();
		cfg_release(&cfg);
		return EXIT_SETUP;
	}
	if (r < 0) {
		log_error_errno(-r, "cannot prepare the services (%s)", what);
		control_release();
		cfg_release(&cfg);
		return EXIT_SETUP;
	}
	shutdown_init(&cfg);
	coord_init(&cfg);
	args_to_idx = cfg.args_to_idx;
	{
		char err[128];

		r = cmd_init(command, &cfg, err, sizeof(err));
		if (r < 0) {
			log_error_errno(-r, "cannot prepare the main command's privileges (%s)",
					err);
			control_release();
			svc_release_all();
			cfg_release(&cfg);
			return EXIT_SETUP;
		}
	}
	log_debug("dind-init %s running as pid %d with %d service%s", DIND_INIT_VERSION,
		  (int)getpid(), cfg.nservices, cfg.nservices == 1 ? "" : "s");

	/* A stop signal that came while we were setting up is acted on before anything starts. */
	on_signalfd(NULL, 0);
	if (!shutdown_active())
		coord_step();

	while (!shutdown_done()) {
		r = loop_run_once();
		if (r < 0) {
			/* The one panic path: nothing can be watched any more, so stop everything.
			 */
			log_error_errno(-r, "event loop failed; killing everything and exiting");
			svc_kill_all();
			cmd_kill();
			kill_remaining(SIGKILL);
			return EXIT_INTERNAL;
		}
	}
	svc_flush_output();
	code = shutdown_exit_code();
	control_release();
	cmd_release();
	svc_release_all();
	cfg_release(&cfg);
	return code;
}
