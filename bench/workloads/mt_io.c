/*
 * mt_io.c: multi-threaded I/O workload for bench/run.py.
 *
 *   mt_io DIR ROUNDS CHUNK
 *
 * Starts 4 threads.  Each creates its own file in DIR, then ROUNDS times
 * writes 64 chunks of CHUNK bytes, seeks back to the start and reads them
 * again, all in small write(2)/read(2) calls.  The files are removed at the
 * end.  Deterministic: the same calls every run.  Exits 0, or 1 with a
 * message if any call fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THREADS 4
#define CHUNKS 64

struct job {
	char path[4096];
	long rounds;
	size_t chunk;
	int failed;
};

static void *worker(void *arg)
{
	struct job *j = arg;
	char *buf = malloc(j->chunk);
	long r;
	int c, fd;

	if (buf == NULL) {
		j->failed = ENOMEM;
		return NULL;
	}
	memset(buf, 'x', j->chunk);
	fd = open(j->path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		j->failed = errno;
		free(buf);
		return NULL;
	}
	for (r = 0; r < j->rounds && !j->failed; r++) {
		for (c = 0; c < CHUNKS; c++)
			if (write(fd, buf, j->chunk) != (ssize_t)j->chunk)
				j->failed = errno ? errno : EIO;
		if (lseek(fd, 0, SEEK_SET) < 0)
			j->failed = errno;
		for (c = 0; c < CHUNKS; c++)
			if (read(fd, buf, j->chunk) != (ssize_t)j->chunk)
				j->failed = errno ? errno : EIO;
		if (lseek(fd, 0, SEEK_SET) < 0)
			j->failed = errno;
	}
	close(fd);
	unlink(j->path);
	free(buf);
	return NULL;
}

int main(int argc, char **argv)
{
	static struct job jobs[THREADS];
	pthread_t th[THREADS];
	int i, ret = 0;

	if (argc != 4) {
		fputs("usage: mt_io DIR ROUNDS CHUNK\n", stderr);
		return 2;
	}
	for (i = 0; i < THREADS; i++) {
		snprintf(jobs[i].path, sizeof(jobs[i].path), "%s/mt_io.%d.%d",
			 argv[1], (int)getpid(), i);
		jobs[i].rounds = atol(argv[2]);
		jobs[i].chunk = (size_t)atol(argv[3]);
		if (jobs[i].chunk == 0)
			jobs[i].chunk = 1;
		if (pthread_create(&th[i], NULL, worker, &jobs[i]) != 0) {
			fputs("mt_io: pthread_create failed\n", stderr);
			return 1;
		}
	}
	for (i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		if (jobs[i].failed) {
			fprintf(stderr, "mt_io: %s: %s\n", jobs[i].path,
				strerror(jobs[i].failed));
			ret = 1;
		}
	}
	return ret;
}
