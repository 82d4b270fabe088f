/*
 * unix_peer.h - the inode of the socket at the other end of a Unix socket.
 *
 * The probe's own connection shows in every traced process's fd table as
 * "socket:[INODE]"; the tracer learns each connection's client inode here
 * (from the accepted end) so it can keep the probe out of the tables.
 */
#ifndef MP_TRACER_UNIX_PEER_H
#define MP_TRACER_UNIX_PEER_H

#include <stdint.h>

/* The peer's inode of the connected Unix socket fd, through sock_diag
 * (NETLINK_SOCK_DIAG, UDIAG_SHOW_PEER). -1 when the kernel cannot say
 * (no CONFIG_UNIX_DIAG, or the peer closed). */
int unix_peer_inode(int fd, uint64_t *peer_ino);

#endif
