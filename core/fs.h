/* Small file helpers shared by the setup and the supervisor: no logging, -errno on failure. */
#ifndef DIND_FS_H
#define DIND_FS_H

#include <stddef.h>
#include <sys/types.h>

/* mkdir -p with mode 0755. 0 or -errno (-ENAMETOOLONG past 255 bytes). */
int fs_mkdirs(const char *path);

/* Read a small file whole into buf (NUL-terminated, at most len - 1 bytes). Returns the length
 * or -errno; -EINVAL when it is not a regular file (a FIFO, socket or device there is never
 * waited on). */
ssize_t fs_read_file(const char *path, char *buf, size_t len);

/* Write text to an existing file (one write, as sysfs and cgroupfs want it). 0 or -errno. */
int fs_write_file(const char *path, const char *text);

#endif
