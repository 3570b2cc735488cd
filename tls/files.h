/* The files of dind-certs: bounded reads and atomic writes, relative to directory fds. Every
 * function returns 0 (or an fd) or -errno, and never prints. */
#ifndef DIND_TLS_FILES_H
#define DIND_TLS_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define FILES_MAX	(1 << 20) /* bytes of one key or certificate file */
#define FILES_DIR_MODE	0755
#define FILES_TMP_MARK	".dind-certs-tmp-" /* in the names of temporary files */
#define FILES_LOCK_SECS 60		   /* wait at most this long for another dind-certs */

/* mkdir -p path: the folders it creates get exactly mode (whatever the umask), the existing ones
 * keep theirs. */
int files_mkdirs(const char *path, mode_t mode);

/* Open folder name under dirfd (O_DIRECTORY); nofollow: refuse a symbolic link (-ELOOP or
 * -ENOTDIR). With create, a missing folder is made with exactly FILES_DIR_MODE. */
int files_open_dir(int dirfd, const char *name, bool create, bool nofollow);

/* Read file name under dirfd (dirfd < 0: none, the folder is missing) into *data (malloc'ed,
 * *len bytes plus a NUL). nofollow: a symbolic link is not followed (-ELOOP). -ENOENT: missing;
 * -EISDIR: a folder; -EINVAL: another file that is not a regular one (FIFOs are never waited
 * on); -EFBIG: over FILES_MAX. *mode gets the file's permission bits when mode is not NULL. An
 * empty file reads as 0 bytes. */
int files_read(int dirfd, const char *name, bool nofollow, char **data, size_t *len, mode_t *mode);

/* Replace name under dirfd with data, atomically: a new file made with O_EXCL|O_NOFOLLOW in the
 * same folder, given mode, written, fsync'ed, then renamed over name. A reader sees the old file
 * or the whole new one; on any failure the temporary file is removed. The catchable signals that
 * end a process wait until the temporary file is renamed or removed. */
int files_write_atomic(int dirfd, const char *name, const void *data, size_t len, mode_t mode);

/* Give the regular file name under dirfd exactly mode (nofollow: not through a symbolic link);
 * *changed tells whether it had another one. */
int files_set_mode(int dirfd, const char *name, bool nofollow, mode_t mode, bool *changed);

/* Remove name under dirfd; a missing one is no error. */
int files_remove(int dirfd, const char *name);

/* Remove the folder name under dirfd if it is empty: 0 (also when it is gone, or no longer a
 * folder), -ENOTEMPTY when something is in it (nothing is removed then). */
int files_remove_empty_dir(int dirfd, const char *name);

/* Remove the temporary files a killed dind-certs left in the folder (names with FILES_TMP_MARK
 * after a leading dot). */
int files_sweep_temps(int dirfd);

int files_sync_dir(int dirfd);

/* Take an exclusive flock on the open folder dirfd, waiting at most FILES_LOCK_SECS for another
 * holder. -EWOULDBLOCK when it is still held then. File systems without flock pass. */
int files_lock(int dirfd);

#endif
