/*
 * path_race.c: tries to slip a denied path past a policy (TOCTOU).  One
 * thread flips a shared path buffer between ALLOWED and DENIED (two paths
 * of the same length) in a tight loop while the main thread opens the
 * buffer N times and reads what it got.  A file's first byte names it
 * ('A' or 'D').  Prints "denied_opened=X allowed_opened=Y refused=Z":
 * under a policy denying DENIED, X must be 0 while Y and Z are not
 * (tests/integration/test_policy.py).
 * usage: path_race ALLOWED DENIED N
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[256];
static const char *alt[2];
static size_t len;
static atomic_int stop;

static void *flipper(void *arg)
{
	unsigned i = 0;

	(void)arg;
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		/* byte by byte, volatile: the compiler keeps every store */
		const char *src = alt[i++ & 1];
		volatile char *dst = path;
		size_t k;

		for (k = 0; k < len; k++)
			dst[k] = src[k];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n, i, fd, denied = 0, allowed = 0, refused = 0;
	pthread_t t;
	char c;

	if (argc != 4 || strlen(argv[1]) != strlen(argv[2]) ||
	    strlen(argv[1]) >= sizeof(path)) {
		fprintf(stderr, "usage: path_race ALLOWED DENIED N "
				"(paths of one length)\n");
		return 2;
	}
	alt[0] = argv[1];
	alt[1] = argv[2];
	len = strlen(argv[1]);
	memcpy(path, argv[1], len + 1);
	n = atoi(argv[3]);
	if (pthread_create(&t, NULL, flipper, NULL) != 0)
		return 2;
	for (i = 0; i < n; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			if (errno == EACCES)
				refused++;
			continue;
		}
		if (read(fd, &c, 1) == 1) {
			if (c == 'D')
				denied++;
			else if (c == 'A')
				allowed++;
		}
		close(fd);
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	printf("denied_opened=%d allowed_opened=%d refused=%d\n", denied,
	       allowed, refused);
	return 0;
}
