/* Small file helpers shared by the setup and the supervisor: no logging, -errno on failure. */
#ifndef DIND_FS_H
#define DIND_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* mkdir -p with mode 0755. 0 or -errno (-ENAMETOOLONG past 255 bytes). */
int fs_mkdirs(const char *path);

/* Whether path is a folder only dind-init's effective user can change: a folder itself (lstat:
 * not a symlink), owned by geteuid(), not writable by its group or by others. 0, or -errno with
 * *why saying what is wrong: -ELOOP a symlink, -ENOTDIR not a folder, -EPERM another owner,
 * -EACCES writable by group or others; other -errno (lstat's) leave *why NULL. */
int fs_check_private_dir(const char *path, const char **why);

/* The first parent folder of path, walking up to /, that others can write to without the
 * sticky bit (whoever can write there can rename path away and put their own in its place),
 * copied into buf. 1 found, 0 none, -errno (-ENAMETOOLONG when path does not fit in len). */
int fs_find_open_parent(const char *path, char *buf, size_t len);

/* runtime_dir (the notify sockets, the iptables links first in root's PATH), made already:
 * fs_check_private_dir, and on failure msg says what is wrong and the fix; on success msg holds
 * a warning when fs_find_open_parent finds a parent others can write to, else "". 0 or -errno
 * (msg "" then when lstat failed). */
int fs_check_runtime_dir(const char *dir, char *msg, size_t len);

/* fs_mkdirs then fs_check_runtime_dir, done once per process: the setup (iptables links) and
 * the services (notify sockets) both need runtime_dir; a later call gives the first call's
 * result and msg with *again set, so that its warning is logged once. */
int fs_make_runtime_dir(const char *dir, char *msg, size_t len, bool *again);

/* mkdir -p (mode 0755 for what it makes, when make) that opens each folder on the way through
 * its parent's fd and never follows a symlink in a folder others can write to without the
 * sticky bit (whoever can write there could point it anywhere); symlinks in other folders
 * (/var/run) are followed. An fd of path (O_RDONLY | O_DIRECTORY, close-on-exec, the caller
 * closes it) or -errno: -ELOOP for such a symlink, -ENOENT for a missing folder when !make. */
int fs_open_dirs(const char *path, bool make);

/* Read a small file whole into buf (NUL-terminated, at most len - 1 bytes). Returns the length
 * or -errno; -EINVAL when it is not a regular file (a FIFO, socket or device there is never
 * waited on). */
ssize_t fs_read_file(const char *path, char *buf, size_t len);

/* Write text to an existing file (one write, as sysfs and cgroupfs want it). 0 or -errno. */
int fs_write_file(const char *path, const char *text);

#endif
