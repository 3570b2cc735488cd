/* The one logger of dind-init: every line goes to stderr as "[dind-init] LEVEL: message". */
#ifndef DIND_LOG_H
#define DIND_LOG_H

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN = 1,
	LOG_LEVEL_INFO = 2,
	LOG_LEVEL_DEBUG = 3,
};

/* Switch to a non-blocking stderr of our own (see log.c); call once, early. */
void log_setup(void);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);

/* All of these save and restore errno. The _errno variants append ": strerror(err)". */
void log_msg(enum log_level level, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(...)		  log_msg(LOG_LEVEL_ERROR, 0, __VA_ARGS__)
#define log_warn(...)		  log_msg(LOG_LEVEL_WARN, 0, __VA_ARGS__)
#define log_info(...)		  log_msg(LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define log_debug(...)		  log_msg(LOG_LEVEL_DEBUG, 0, __VA_ARGS__)
#define log_error_errno(err, ...) log_msg(LOG_LEVEL_ERROR, (err), __VA_ARGS__)
#define log_warn_errno(err, ...)  log_msg(LOG_LEVEL_WARN, (err), __VA_ARGS__)
#define log_info_errno(err, ...)  log_msg(LOG_LEVEL_INFO, (err), __VA_ARGS__)
#define log_debug_errno(err, ...) log_msg(LOG_LEVEL_DEBUG, (err), __VA_ARGS__)

#endif
