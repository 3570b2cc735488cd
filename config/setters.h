/* The keys of [init], [main] and [service:NAME] that setters.c applies (see keys.c for which
 * key is which). Inside config/ only. */
#ifndef DIND_CONFIG_SETTERS_H
#define DIND_CONFIG_SETTERS_H

#include "config/loader.h"

key_setter set_log_level, set_shutdown_timeout, set_main_after, set_on_main_exit,
	set_control_socket, set_control_group, set_require_socket, set_runtime_dir, set_setup,
	set_securityfs, set_sys_rw, set_preflight, set_mtu, set_mount_tmpfs, set_stale_files,
	set_writable_paths, set_cgroups, set_iptables, set_make_rshared, set_rlimit_nofile,
	set_data_root, set_strict_config, set_service_output, set_args_to, set_stop_signal,
	set_stop_timeout, set_command, set_when, set_args_if, set_type, set_depends_on, set_restart,
	set_restart_delay, set_restart_delay_max, set_start_limit_burst, set_start_limit_interval,
	set_critical, set_environment, set_args_env, set_workdir, set_log, set_ready,
	set_ready_timeout, set_ready_interval, set_health, set_health_interval, set_health_timeout,
	set_health_retries, set_watchdog, set_notify_access;

#endif
