/*
 * queue.h: the bounded single-producer/single-consumer queue between the
 * tracer thread and the pipeline thread.
 *
 * Elements are fixed-size and copied in and out.  The producer never
 * drops: when the queue is full it sleeps until the consumer makes room
 * (back-pressure on the tracer, and so on the tracees).  Wake-ups are
 * rationed so the tracer rarely pays for a futex call:
 *  - while busy, the consumer naps for at most QUEUE_NAP_NS between
 *    batches and the producer only wakes it when the queue is a quarter
 *    full;
 *  - after a nap that found nothing, the consumer sleeps deeply and the
 *    next push wakes it at once.
 * So an element waits at most about QUEUE_NAP_NS before the consumer sees it.
 */
#ifndef CAPSULE_LIB_QUEUE_H
#define CAPSULE_LIB_QUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUEUE_NAP_NS 1000000L	/* 1 ms */

struct queue {
	char *slots;			/* owned: cap * elem bytes */
	size_t elem;
	uint64_t cap;			/* power of two */
	_Alignas(64) _Atomic uint64_t head;	/* next slot to fill */
	_Alignas(64) _Atomic uint64_t tail;	/* next slot to drain */
	_Alignas(64) _Atomic uint32_t cons_state; /* QS_* (futex word) */
	_Atomic uint32_t prod_waiting;	/* futex word: producer wants room */
	_Atomic uint32_t closed;
	_Atomic uint64_t weight;	/* bytes owned by queued elements */
	uint64_t budget;		/* producer waits above this; 0: none */
	uint64_t nr_full_waits;		/* producer stats: times it waited */
	uint64_t nr_wakes;		/* futex wakes issued by the producer */
};

/* Returns 0 or -ENOMEM.  `cap` is rounded up to a power of two. */
int queue_init(struct queue *q, size_t elem, size_t cap);
void queue_release(struct queue *q);

/* Producer: copies *e in; waits while the queue is full. */
void queue_push(struct queue *q, const void *e);
/*
 * Producer: as queue_push(), for an element that owns `weight` bytes
 * elsewhere (a captured blob).  Waits while the weight in flight is over
 * the budget (set with queue_set_budget()) and anything is queued, so
 * memory stays bounded in bytes, not only in elements.  The consumer hands
 * the weight back with queue_unweigh() once it freed the bytes.
 */
void queue_push_weighted(struct queue *q, const void *e, uint64_t weight);
void queue_set_budget(struct queue *q, uint64_t bytes);
/* Consumer: `weight` bytes of a popped element were freed. */
void queue_unweigh(struct queue *q, uint64_t weight);

/*
 * Producer: wakes the consumer now, napping or asleep, for an element that
 * must not wait out a nap (the synchronous path of enforcement).
 */
void queue_wake(struct queue *q);

/* Producer: no more pushes; wakes the consumer. */
void queue_close(struct queue *q);

/*
 * Consumer: copies the oldest element to *e and returns true, or returns
 * false at once when the queue is empty.
 */
bool queue_try_pop(struct queue *q, void *e);
/*
 * Consumer: waits until an element is there or the queue is closed.
 * Returns false when closed and drained.
 */
bool queue_wait(struct queue *q);
/*
 * Consumer: like queue_wait(), but gives up at `deadline_ns`
 * (CLOCK_MONOTONIC; 0 means never).  Returns 1 when an element is there,
 * 0 when closed and drained, -ETIMEDOUT at the deadline.
 */
int queue_wait_until(struct queue *q, uint64_t deadline_ns);

#endif
