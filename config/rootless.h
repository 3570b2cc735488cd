/* What the rootless preflight (init/setup_rootless.c) reads, parsed: subordinate id lines, the
 * mount points that mask /proc, the security.capability attribute, the kernel release, the
 * network driver. Pure: no syscalls, unit-tested (tests/unit/test_rootless.c). */
#ifndef DIND_CONFIG_ROOTLESS_H
#define DIND_CONFIG_ROOTLESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROOTLESS_SUBIDS_USUAL 65536 /* ids a user needs to pull most images */
#define ROOTLESS_DEFAULT_NET  "slirp4netns"
#define ROOTLESS_ID_LIMIT     4294967295UL /* ids are below it: (uid_t)-1 is no id */

/* The subordinate ids of a user in the text of /etc/subuid or /etc/subgid: the counts of the
 * lines NAME:START:COUNT and UID:START:COUNT summed (name may be NULL), at most
 * ROOTLESS_ID_LIMIT. Malformed lines and comments count for nothing; a line may end in CRLF.
 * The user's lines whose range goes past the last id (START + COUNT > ROOTLESS_ID_LIMIT)
 * count for nothing either, and are counted in *impossible (may be NULL). */
unsigned long rootless_subids(const char *text, const char *name, unsigned long uid,
			      int *impossible);

/* Whether a mount on point (unescaped, as in /proc/self/mountinfo) masks part of /proc, so that
 * the kernel refuses a nested container's mount of a new proc: any mount below /proc except
 * binfmt_misc (on an empty folder, which the kernel allows). */
bool rootless_proc_mask(const char *point);

/* The permitted capabilities of a security.capability attribute (struct vfs_cap_data, little
 * endian, revisions 1 to 3) into *permitted, and whether they are made effective at exec (the
 * "e" of setcap =ep) into *effective. A revision 3 attribute for another user namespace's root
 * (rootid not 0) gives none. 0, or -EINVAL when it is not one. */
int rootless_file_caps(const unsigned char *buf, size_t len, uint64_t *permitted, bool *effective);

/* Whether a kernel release ("5.10.0-28-amd64") is at least major.minor; an unreadable one is
 * taken as recent (true): only a warning depends on it. */
bool rootless_kernel_at_least(const char *release, int major, int minor);

/* RootlessKit's network driver from DOCKERD_ROOTLESS_ROOTLESSKIT_NET (NULL or empty: the
 * default): the program it runs (NULL for host) and whether it needs /dev/net/tun. */
const char *rootless_net_program(const char *net);
bool rootless_net_needs_tun(const char *net);

/* Whether a file of that st_mode and st_rdev is the tun device: a character device 10:200. */
bool rootless_is_tun(unsigned mode, unsigned major, unsigned minor);

/* What a file of that st_mode (and st_rdev) is, in words ("a symbolic link", "the character
 * device 1:3"): a constant, or buf. */
const char *rootless_file_kind(unsigned mode, unsigned major, unsigned minor, char *buf,
			       size_t len);

/* Whether a folder holding only entries of that name counts as empty for dockerd's data:
 * ".", "..", and the "lost+found" of a fresh ext4 volume (a Kubernetes PVC). */
bool rootless_empty_dir_entry(const char *name);

/* The number after "KEY:" on a line of /proc/self/status (NoNewPrivs in base 10, CapEff in
 * base 16) into *out. 0, -ENOENT (no such line) or -EINVAL. */
int rootless_status_value(const char *text, const char *key, int base, unsigned long long *out);

/* Whether path is a folder of the system's that must never be given to a user, nor a chown of
 * it advised: /, /etc, /tmp, /run, /var, /home, /run/user, /var/lib, ... and anything below /usr,
 * /proc, /sys, /dev, /etc, /boot and the /bin and /lib ones. */
bool rootless_system_folder(const char *path);

/* The Debian package of a network driver's program (pasta is in passt, lxc-user-nic in lxc),
 * or NULL (vpnkit and unknown ones are not packaged). */
const char *rootless_net_package(const char *program);

/* The path given to RootlessKit for program in DOCKERD_ROOTLESS_ROOTLESSKIT_FLAGS
 * (--slirp4netns-binary=PATH or --slirp4netns-binary PATH) into out. 0, -ENOENT (not given)
 * or -EINVAL (empty, or too long). */
int rootless_net_binary(const char *flags, const char *program, char *out, size_t len);

#endif
