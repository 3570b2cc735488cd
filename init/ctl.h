/* dind-ctl: the client of the control socket (the dind-init binary under another name). */
#ifndef DIND_CTL_H
#define DIND_CTL_H

#define CTL_DEFAULT_WAIT_MS 60000

int ctl_main(int argc, char **argv);

#endif
