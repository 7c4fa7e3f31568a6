/*
 * queue.c: bounded SPSC queue with rationed futex wake-ups (see queue.h).
 */
#include "lib/queue.h"

#include <errno.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

enum {
	QS_RUNNING = 0,	/* consumer is draining */
	QS_NAPPING = 1,	/* short timed sleep: wake only when filling up */
	QS_SLEEPING = 2,	/* deep sleep: wake on the next push */
};

static void futex_wait(_Atomic uint32_t *w, uint32_t val,
		       const struct timespec *timeout)
{
	(void)syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, timeout, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
	(void)syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

int queue_init(struct queue *q, size_t elem, size_t cap)
{
	uint64_t c = 16;

	memset(q, 0, sizeof(*q));
	while (c < cap)
		c *= 2;
	q->slots = calloc(c, elem);
	if (q->slots == NULL)
		return -ENOMEM;
	q->elem = elem;
	q->cap = c;
	return 0;
}

void queue_release(struct queue *q)
{
	if (q == NULL)
		return;
	free(q->slots);
	q->slots = NULL;
}

void queue_push(struct queue *q, const void *e)
{
	uint64_t head = atomic_load_explicit(&q->head, memory_order_relaxed);
	uint64_t used;
	uint32_t st;

	while (head - atomic_load_explicit(&q->tail, memory_order_acquire) ==
	       q->cap) {
		q->nr_full_waits++;
		atomic_store(&q->prod_waiting, 1);
		/* make sure a sleeping consumer knows we are stuck */
		if (atomic_exchange(&q->cons_state, QS_RUNNING) != QS_RUNNING)
			futex_wake(&q->cons_state);
		if (head - atomic_load(&q->tail) == q->cap)
			futex_wait(&q->prod_waiting, 1, NULL);
		atomic_store(&q->prod_waiting, 0);
	}
	memcpy(q->slots + (head & (q->cap - 1)) * q->elem, e, q->elem);
	atomic_store_explicit(&q->head, head + 1, memory_order_release);
	atomic_thread_fence(memory_order_seq_cst);
	st = atomic_load_explicit(&q->cons_state, memory_order_relaxed);
	if (st == QS_RUNNING)
		return;
	used = head + 1 - atomic_load_explicit(&q->tail, memory_order_relaxed);
	if (st == QS_SLEEPING || used >= q->cap / 4) {
		if (atomic_exchange(&q->cons_state, QS_RUNNING) != QS_RUNNING) {
			q->nr_wakes++;
			futex_wake(&q->cons_state);
		}
	}
}

void queue_set_budget(struct queue *q, uint64_t bytes)
{
	q->budget = bytes;
}

void queue_push_weighted(struct queue *q, const void *e, uint64_t weight)
{
	while (q->budget && atomic_load(&q->weight) + weight > q->budget &&
	       atomic_load(&q->head) != atomic_load(&q->tail)) {
		q->nr_full_waits++;
		atomic_store(&q->prod_waiting, 1);
		if (atomic_exchange(&q->cons_state, QS_RUNNING) != QS_RUNNING)
			futex_wake(&q->cons_state);
		if (atomic_load(&q->weight) + weight > q->budget &&
		    atomic_load(&q->head) != atomic_load(&q->tail))
			futex_wait(&q->prod_waiting, 1, NULL);
		atomic_store(&q->prod_waiting, 0);
	}
	atomic_fetch_add(&q->weight, weight);
	queue_push(q, e);
}

void queue_unweigh(struct queue *q, uint64_t weight)
{
	atomic_fetch_sub(&q->weight, weight);
	if (atomic_load_explicit(&q->prod_waiting, memory_order_acquire)) {
		atomic_store(&q->prod_waiting, 0);
		futex_wake(&q->prod_waiting);
	}
}

void queue_wake(struct queue *q)
{
	if (atomic_exchange(&q->cons_state, QS_RUNNING) != QS_RUNNING) {
		q->nr_wakes++;
		futex_wake(&q->cons_state);
	}
}

void queue_close(struct queue *q)
{
	atomic_store(&q->closed, 1);
	atomic_store(&q->cons_state, QS_RUNNING);
	futex_wake(&q->cons_state);
}

bool queue_try_pop(struct queue *q, void *e)
{
	uint64_t tail = atomic_load_explicit(&q->tail, memory_order_relaxed);

	if (tail == atomic_load_explicit(&q->head, memory_order_acquire))
		return false;
	memcpy(e, q->slots + (tail & (q->cap - 1)) * q->elem, q->elem);
	atomic_store_explicit(&q->tail, tail + 1, memory_order_release);
	if (atomic_load_explicit(&q->prod_waiting, memory_order_acquire)) {
		atomic_store(&q->prod_waiting, 0);
		futex_wake(&q->prod_waiting);
	}
	return true;
}

static bool has_work(struct queue *q)
{
	return atomic_load(&q->head) != atomic_load(&q->tail);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int queue_wait_until(struct queue *q, uint64_t deadline_ns)
{
	uint32_t state = QS_NAPPING;
	struct timespec ts;
	uint64_t now, left;

	for (;;) {
		if (has_work(q))
			return 1;
		if (atomic_load(&q->closed))
			return has_work(q);
		left = UINT64_MAX;
		if (deadline_ns != 0) {
			now = mono_ns();
			if (now >= deadline_ns)
				return -ETIMEDOUT;
			left = deadline_ns - now;
		}
		if (state == QS_NAPPING && left > (uint64_t)QUEUE_NAP_NS)
			left = QUEUE_NAP_NS;
		atomic_store(&q->cons_state, state);
		atomic_thread_fence(memory_order_seq_cst);
		if (has_work(q) || atomic_load(&q->closed)) {
			atomic_store(&q->cons_state, QS_RUNNING);
			continue;
		}
		ts.tv_sec = (time_t)(left / 1000000000u);
		ts.tv_nsec = (long)(left % 1000000000u);
		futex_wait(&q->cons_state, state,
			   left == UINT64_MAX ? NULL : &ts);
		if (atomic_load(&q->cons_state) == state) {
			/* timed out (or spurious): nothing came, sleep deeper */
			if (!has_work(q))
				state = QS_SLEEPING;
			atomic_store(&q->cons_state, QS_RUNNING);
		}
	}
}

bool queue_wait(struct queue *q)
{
	return queue_wait_until(q, 0) > 0;
}
