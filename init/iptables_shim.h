/* The iptables shim: dind-init started as `iptables` (or iptables-save, ip6tables, ...) from
 * the folder of links that `iptables = auto` puts first in every service's PATH. While the
 * background check runs, each link there points at dind-init itself; the shim waits until the
 * setup has replaced its link with the chosen backend's program, then execs it (or, when the
 * link was removed because no backend works, the next program of that name in PATH). */
#ifndef DIND_IPTABLES_SHIM_H
#define DIND_IPTABLES_SHIM_H

#include <stdbool.h>
#include <stddef.h>

/* Set for every service and the main command to the links folder: the shim acts only with it. */
#define IPT_SHIM_ENV "DIND_INIT_IPTABLES_DIR"
/* In the links folder: a link to dind-init's program; each tool's link points at this name
 * (relative) while the check runs. */
#define IPT_SHIM_SELF ".dind-init"
/* How long the shim waits for the choice: above the two checks' time limits (5 s each). */
#define IPT_SHIM_WAIT_MS 15000
#define IPT_SHIM_POLL_MS 10

/* The programs the links folder holds, in that order. */
extern const char *const ipt_tools[];
extern const size_t ipt_ntools;

/* name (a basename) is one of ipt_tools. */
bool ipt_is_tool(const char *name);
/* A tool's program for one backend: iptables -> iptables-nft, iptables-save ->
 * iptables-nft-save. */
void ipt_backend_name(const char *tool, const char *mode, char *buf, size_t len);

/* main() for dind-init started under a tool's name: waits for the choice and execs it. Returns
 * (with a message on stderr) only when it cannot: 2 without IPT_SHIM_ENV (a usage error, not a
 * shim), 1 when no choice came in time, 126/127 when the program cannot be run or found. */
int ipt_shim_main(int argc, char **argv);

#endif
