/*
 * placement.c: CPU masks of capsule's threads and of the traced command,
 * the run-queue measurement and the release rule (see placement.h).
 */
#include "trace/placement.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include <unistd.h>

/*
 * A SIGALRM every PLACE_SAMPLE_NS marks a decision as due; the tracer
 * looks at the mark after each report (a load, no clock read on the stop
 * path).  The decision must come even when no task stops (threads that
 * only compute): the signal also interrupts the tracer's waitpid (no
 * SA_RESTART), which then gives the tracer its turn.
 */
static volatile sig_atomic_t tick_due;

static void on_tick(int sig)
{
	(void)sig;
	tick_due = 1;
}

bool place_take_tick(void)
{
	if (!tick_due)
		return false;
	tick_due = 0;
	return true;
}

static void set_ticks(bool on)
{
	struct itimerval it;
	struct sigaction sa;

	memset(&it, 0, sizeof(it));
	if (on) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_tick;
		sigemptyset(&sa.sa_mask);
		(void)sigaction(SIGALRM, &sa, NULL);
		it.it_interval.tv_usec = (long)(PLACE_SAMPLE_NS / 1000);
		it.it_value = it.it_interval;
	}
	(void)setitimer(ITIMER_REAL, &it, NULL);
}

void place_init(struct place *pl, enum place_mode mode)
{
	memset(pl, 0, sizeof(*pl));
	pl->mode = mode;
	if (pl->mode == PLACE_OFF)
		return;
	pl->cpu = sched_getcpu();
	if (pl->cpu < 0 || pl->cpu >= CPU_SETSIZE ||
	    sched_getaffinity(0, sizeof(pl->all), &pl->all) < 0 ||
	    !CPU_ISSET(pl->cpu, &pl->all) || CPU_COUNT(&pl->all) < 2) {
		pl->mode = PLACE_OFF;
		return;
	}
	CPU_ZERO(&pl->one);
	CPU_SET(pl->cpu, &pl->one);
	pl->others = pl->all;
	CPU_CLR(pl->cpu, &pl->others);
	pl->active = pl->ever = true;
}

int place_child(const struct place *pl)
{
	if (!pl->active)
		return 0;
	if (sched_setaffinity(0, sizeof(pl->one), &pl->one) == 0)
		return 0;
	/* --pin asked for it; by default an unpinned command is fine */
	return pl->mode == PLACE_PIN ? -errno : 0;
}

void place_threads(struct place *pl, pthread_t helper)
{
	struct timespec ts;
	uint64_t now_ns;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	now_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	pl->start_ns = pl->last_ns = now_ns;
	if (!pl->active)
		return;
	pl->helper = helper;
	pl->has_helper = true;
	(void)sched_setaffinity(0, sizeof(pl->one), &pl->one);
	(void)pthread_setaffinity_np(helper, sizeof(pl->others), &pl->others);
	if (pl->mode == PLACE_AUTO)
		set_ticks(true);
}

void place_stop(struct place *pl)
{
	if (pl->active && pl->mode == PLACE_AUTO)
		set_ticks(false);
}

void place_release(struct place *pl, uint64_t now_ns, double waiting,
		   double rate)
{
	if (!pl->active)
		return;
	set_ticks(false);
	pl->active = false;
	pl->released_ns = now_ns > pl->start_ns ? now_ns - pl->start_ns : 1;
	pl->released_waiting = waiting;
	pl->released_rate = rate;
	(void)sched_setaffinity(0, sizeof(pl->all), &pl->all);
	if (pl->has_helper)
		(void)pthread_setaffinity_np(pl->helper, sizeof(pl->all),
					     &pl->all);
}

int place_release_task(const struct place *pl, pid_t tid)
{
	return sched_setaffinity(tid, sizeof(pl->all), &pl->all) < 0 ? -errno
								      : 0;
}

bool place_task_is_pinned(const struct place *pl, pid_t tid)
{
	cpu_set_t m;

	if (sched_getaffinity(tid, sizeof(m), &m) < 0)
		return false;
	return CPU_EQUAL(&m, &pl->one);
}

int place_run_delay(pid_t tid, uint64_t *ret_ns)
{
	char path[64], b[128], *end;
	unsigned long long v;
	const char *p;
	ssize_t n;
	int fd;

	if (tid == 0)
		snprintf(path, sizeof(path), "/proc/thread-self/schedstat");
	else
		snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	b[n] = '\0';
	/* "<on-cpu ns> <run-queue wait ns> <timeslices>" */
	p = strchr(b, ' ');
	if (p == NULL)
		return -EPROTO;
	errno = 0;
	v = strtoull(p + 1, &end, 10);
	if (errno != 0 || end == p + 1)
		return -EPROTO;
	*ret_ns = v;
	return 0;
}

bool place_decide(struct place *pl, double waiting, double rate)
{
	if (pl->mode != PLACE_AUTO || !pl->active)
		return false;
	if (waiting >= PLACE_WAITING &&
	    waiting > rate * PLACE_STOP_GAIN_NS / 1e9)
		pl->over++;
	else
		pl->over = 0;
	return pl->over >= 2;
}
