/* The keys of [init] and [service:NAME] that need code of their own (setters.c); the key table
 * (keys.c) names them. Inside config/ only. */
#ifndef DIND_CONFIG_SETTERS_H
#define DIND_CONFIG_SETTERS_H

#include "config/loader.h"

key_setter set_main_after, set_control_socket, set_control_group, set_rlimit_nofile,
	set_strict_config, set_command, set_when, set_args_if, set_depends_on, set_environment,
	set_args_env, set_log, set_ready, set_health;

#endif
