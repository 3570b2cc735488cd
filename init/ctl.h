/* dind-ctl: the client of the control socket (the dind-init binary under another name). */
#ifndef DIND_CTL_H
#define DIND_CTL_H

/* Runs with no signal blocked, whatever it inherited: Ctrl-C and timeout(1) must stop it.
 * Returns the exit status (0, 1 failure or "no", 2 usage error). */
int ctl_main(int argc, char **argv);

#endif
