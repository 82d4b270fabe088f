/*
 * unix_peer.c - one sock_diag request for a Unix socket's peer; see unix_peer.h.
 *
 * SO_PEERCRED names the peer process but not its socket; /proc/net/unix
 * lists no peers; sock_diag's UDIAG_SHOW_PEER does (what `ss -x` uses).
 */
#include "tracer/unix_peer.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/* The "any socket" cookie of sock_diag (INET_DIAG_NOCOOKIE). */
#define DIAG_NO_COOKIE (~0U)

static int ask(int nl, uint32_t ino)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req req;
	} msg;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST;
	msg.req.sdiag_family = AF_UNIX;
	msg.req.udiag_states = ~0U;
	msg.req.udiag_ino = ino;
	msg.req.udiag_show = UDIAG_SHOW_PEER;
	msg.req.udiag_cookie[0] = DIAG_NO_COOKIE;
	msg.req.udiag_cookie[1] = DIAG_NO_COOKIE;
	return sendto(nl, &msg, sizeof(msg), 0, (struct sockaddr *)&kernel, sizeof(kernel)) ==
			(ssize_t)sizeof(msg)
		? 0
		: -1;
}

static int parse(const char *buf, ssize_t len, uint64_t *peer_ino)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)(const void *)buf;

	for (; NLMSG_OK(h, (size_t)len); h = NLMSG_NEXT(h, len)) {
		const struct unix_diag_msg *m = NLMSG_DATA(h);
		const struct rtattr *attr = (const struct rtattr *)(m + 1);
		int attr_len;

		if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			return -1; /* NLMSG_ERROR: no such socket, or no unix_diag */
		attr_len = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*m));
		for (; RTA_OK(attr, attr_len); attr = RTA_NEXT(attr, attr_len))
			if (attr->rta_type == UNIX_DIAG_PEER &&
			    RTA_PAYLOAD(attr) >= sizeof(uint32_t)) {
				uint32_t ino;

				memcpy(&ino, RTA_DATA(attr), sizeof(ino));
				*peer_ino = ino;
				return 0;
			}
	}
	return -1;
}

int unix_peer_inode(int fd, uint64_t *peer_ino)
{
	struct stat st;
	char buf[1024];
	ssize_t n;
	int nl, rc = -1;

	if (fstat(fd, &st) < 0)
		return -1;
	nl = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (nl < 0)
		return -1;
	if (ask(nl, (uint32_t)st.st_ino) == 0) {
		do
			n = recv(nl, buf, sizeof(buf), 0);
		while (n < 0 && errno == EINTR);
		if (n > 0)
			rc = parse(buf, n, peer_ino);
	}
	close(nl);
	return rc;
}
