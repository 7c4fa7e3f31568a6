/*
 * sockaddr.c: socket address printer (see sockaddr.h and the "args"
 * section of docs/log-format.md).  The bytes come from the tracee: every
 * field is read only when `len` covers it.
 */
#include "decode/sockaddr.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "decode/flags.h"

static const char hexdig[] = "0123456789abcdef";

static uint16_t get16(const unsigned char *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void family(struct vout *o, int fam)
{
	static const struct xlat fams[] = {
		FLAG(AF_UNSPEC), FLAG(AF_UNIX), FLAG(AF_INET),
		FLAG(AF_INET6), FLAG(AF_NETLINK), FLAG(AF_PACKET),
		FLAG(AF_BLUETOOTH), FLAG(AF_ALG), FLAG(AF_VSOCK),
		FLAG(AF_CAN), FLAG(AF_TIPC), FLAG(AF_XDP), FLAG(AF_KEY),
		FLAG(AF_BRIDGE), FLAG(AF_IB), FLAG(AF_MPLS), FLAG(AF_RDS),
		XLAT_END
	};
	const char *n = xlat_name(fams, (uint64_t)fam);

	vo_key(o, "family");
	if (n != NULL)
		vo_sym(o, n);
	else
		vo_int(o, fam);
}

/* Bytes as a hex string "0a1b..." (a value capsule made: vo_sym). */
static void hex_bytes(struct vout *o, const unsigned char *p, size_t n,
		      char sep)
{
	struct buf *b = o->b;
	size_t i;

	(void)vo_sym_begin(o);
	for (i = 0; i < n; i++) {
		if (sep && i)
			buf_addch(b, sep);
		buf_addch(b, hexdig[p[i] >> 4]);
		buf_addch(b, hexdig[p[i] & 15]);
	}
	vo_sym_end(o);
}

/*
 * An address too short for its family's fields: the bytes after the
 * family as "data".  Returns 1 when it printed that.
 */
static int too_short(struct vout *o, const unsigned char *sa, size_t len,
		     size_t need)
{
	if (len >= need)
		return 0;
	vo_key(o, "data");
	hex_bytes(o, sa + 2, len - 2, 0);
	return 1;
}

static void unix_addr(struct vout *o, const unsigned char *sa, size_t len)
{
	const unsigned char *path = sa + 2;
	size_t n = len - 2;
	const unsigned char *nul;

	if (n == 0)
		return; /* unnamed */
	if (path[0] == '\0') {
		/* abstract: every byte after the NUL counts, NULs too */
		vo_key(o, "abstract");
		vo_bytes(o, path + 1, n - 1, 0);
		return;
	}
	nul = memchr(path, '\0', n);
	vo_key(o, "path");
	vo_bytes(o, path, nul != NULL ? (size_t)(nul - path) : n, 0);
}

static void inet_addr_(struct vout *o, const unsigned char *sa, size_t len)
{
	if (too_short(o, sa, len, 8))
		return;
	vo_key(o, "addr");
	(void)vo_sym_begin(o);	/* digits and dots: nothing to escape */
	buf_add_ip4(o->b, sa + 4);
	vo_sym_end(o);
	vo_key(o, "port");
	vo_uint(o, ntohs(get16(sa + 2)));
}

static void inet6_addr(struct vout *o, const unsigned char *sa, size_t len)
{
	char tmp[INET6_ADDRSTRLEN];

	if (too_short(o, sa, len, 24))
		return;
	vo_key(o, "addr");
	vo_sym(o, inet_ntop(AF_INET6, sa + 8, tmp, sizeof(tmp)));
	vo_key(o, "port");
	vo_uint(o, ntohs(get16(sa + 2)));
	vo_key(o, "flowinfo");
	vo_uint(o, ntohl(get32(sa + 4)));
	if (len >= 28) {
		vo_key(o, "scope_id");
		vo_uint(o, get32(sa + 24));
	}
}

static void netlink_addr(struct vout *o, const unsigned char *sa, size_t len)
{
	if (too_short(o, sa, len, 12))
		return;
	vo_key(o, "pid");
	vo_uint(o, get32(sa + 4));
	vo_key(o, "groups");
	vo_hex(o, get32(sa + 8));
}

static void packet_addr(struct vout *o, const unsigned char *sa, size_t len)
{
	size_t halen;
	int32_t ifindex;

	if (too_short(o, sa, len, 12))
		return;
	memcpy(&ifindex, sa + 4, sizeof(ifindex));
	vo_key(o, "protocol");
	vo_hex(o, ntohs(get16(sa + 2)));
	vo_key(o, "ifindex");
	vo_int(o, ifindex);
	vo_key(o, "hatype");
	vo_uint(o, get16(sa + 8));
	vo_key(o, "pkttype");
	vo_uint(o, sa[10]);
	halen = sa[11];
	if (halen > 8)
		halen = 8;
	if (halen > len - 12)
		halen = len - 12;
	vo_key(o, "addr");
	hex_bytes(o, sa + 12, halen, ':');
}

void sockaddr_print(struct vout *o, const unsigned char *sa, size_t len,
		    int truncated)
{
	int fam;

	vo_obj_begin(o);
	if (len < 2) {
		/* the kernel stored no address (len 0) */
		vo_obj_end(o);
		return;
	}
	fam = get16(sa);
	family(o, fam);
	switch (fam) {
	case AF_UNIX:
		unix_addr(o, sa, len);
		break;
	case AF_INET:
		inet_addr_(o, sa, len);
		break;
	case AF_INET6:
		inet6_addr(o, sa, len);
		break;
	case AF_NETLINK:
		netlink_addr(o, sa, len);
		break;
	case AF_PACKET:
		packet_addr(o, sa, len);
		break;
	default:
		if (len > 2)
			(void)too_short(o, sa, len, (size_t)-1);
		break;
	}
	if (truncated) {
		vo_key(o, "truncated");
		vo_bool(o, 1);
	}
	vo_obj_end(o);
}
