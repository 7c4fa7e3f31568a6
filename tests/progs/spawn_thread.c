/*
 * spawn_thread.c: starts one thread and joins it; prints "thread ok".
 * glibc creates the thread with clone3 and falls back to clone when
 * clone3 fails with ENOSYS: the fallback the generated profiles keep
 * working (tests/integration/test_profile.py).
 */
#include <pthread.h>
#include <stdio.h>

static void *run(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t t;
	void *ret = NULL;
	int token = 42;

	if (pthread_create(&t, NULL, run, &token) != 0 ||
	    pthread_join(t, &ret) != 0 || ret != &token) {
		printf("thread failed\n");
		return 1;
	}
	printf("thread ok\n");
	return 0;
}
