/*
 * classes.h: resource classes: what a file path or network endpoint is,
 * for a security reader ("credentials", "persistence", "net_public" ...).
 * The path rules are one static const table in classes.c, in the order
 * they are tried (first match wins); docs/resources.md is the same table
 * in prose and must be kept in step with it.
 */
#ifndef CAPSULE_ENRICH_CLASSES_H
#define CAPSULE_ENRICH_CLASSES_H

#include <stddef.h>

enum res_class {
	RC_NONE = 0,		/* not a resource (no class written) */
	RC_CREDENTIALS,		/* keys, tokens, password stores */
	RC_PERSISTENCE,		/* places that make code run again later */
	RC_KERNEL_SENSITIVE,	/* /proc/PID/mem, /proc/sys/kernel, ... */
	RC_RUNTIME_SOCKET,	/* container runtime API sockets */
	RC_SYSTEM_CONFIG,	/* /etc */
	RC_EXECUTABLE,		/* programs and shared libraries */
	RC_TEMPORARY,		/* /tmp, /var/tmp, /dev/shm */
	RC_DEVICE,		/* /dev */
	RC_PROCFS,		/* /proc */
	RC_SYSFS,		/* /sys */
	RC_FILE,		/* any other path */
	RC_PIPE,		/* a pipe or FIFO without a name */
	RC_ANON,		/* anon inodes: eventfd, epoll, memfd ... */
	RC_NET_LOOPBACK,	/* 127.0.0.0/8, ::1 */
	RC_NET_PRIVATE,		/* RFC 1918, link-local, CGNAT, ULA */
	RC_NET_PUBLIC,		/* any other IP address */
	RC_NET_ANY,		/* the unspecified address (0.0.0.0, ::) */
	RC_NET_UNIX,		/* AF_UNIX */
	RC_NET_NETLINK,		/* AF_NETLINK */
	RC_NET_OTHER,		/* AF_PACKET and other families */
	_RC_MAX
};

/* The class's name in the log ("credentials"); NULL for RC_NONE. */
const char *class_name(int cls);

/* The class of an absolute, normalized path (path.h). */
int class_of_path(const char *abs);
/* The same, by trying fnmatch(3) on every rule: the reference the unit
 * tests hold class_of_path()'s shortcuts to. */
int class_of_path_fnmatch(const char *abs);

/*
 * The class of an IPv4 (len 4) or IPv6 (len 16) address in network byte
 * order.
 */
int class_of_ip(const unsigned char *addr, size_t len);

#endif
