/*
 * test_placement.c: the placement rule (trace/placement.c): when the traced
 * tasks get their CPUs back, and the run-queue reading it rests on.
 */
#include "trace/placement.h"

#include <string.h>
#include <unistd.h>

#include "unit.h"

static struct place auto_place(void)
{
	struct place pl;

	memset(&pl, 0, sizeof(pl));
	pl.mode = PLACE_AUTO;
	pl.active = pl.ever = true;
	return pl;
}

/* One interval after another: (waiting, stops/s) -> release now? */
static const struct {
	const char *what;
	double waiting[3], rate[3];
	int n;
	bool release;
} cases[] = {
	{ "compute-bound pair, no stops", { 1.0, 1.0 }, { 0, 0 }, 2, true },
	{ "one interval is not enough", { 1.0 }, { 0 }, 1, false },
	{ "a dip resets the count", { 1.0, 0.1, 1.0 }, { 0, 0, 0 }, 3, false },
	{ "below the line", { 0.4, 0.4, 0.4 }, { 0, 0, 0 }, 3, false },
	/* 50,000 stops/s x 40 us = 2 tasks' worth: stops win */
	{ "syscall-bound pair", { 1.0, 1.0 }, { 50000, 50000 }, 2, false },
	{ "few stops, much waiting", { 1.5, 1.5 }, { 20000, 20000 }, 2, true },
	{ "busy but sequential", { 0.2, 0.3 }, { 1000, 1000 }, 2, false },
};

TEST(decide_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct place pl = auto_place();
		bool r = false;

		for (int k = 0; k < cases[i].n; k++)
			r = place_decide(&pl, cases[i].waiting[k],
					 cases[i].rate[k]);
		if (r != cases[i].release)
			fprintf(stderr, "case: %s\n", cases[i].what);
		CHECK(r == cases[i].release);
	}
}

TEST(decide_only_in_auto)
{
	struct place pl = auto_place();

	pl.mode = PLACE_PIN;
	CHECK(!place_decide(&pl, 5, 0));
	CHECK(!place_decide(&pl, 5, 0));
	pl = auto_place();
	pl.active = false; /* released already */
	CHECK(!place_decide(&pl, 5, 0));
	CHECK(!place_decide(&pl, 5, 0));
}

TEST(init_respects_modes)
{
	struct place pl;

	place_init(&pl, PLACE_OFF);
	CHECK(!pl.active && !pl.ever);
	place_init(&pl, PLACE_PIN);
	if (pl.mode != PLACE_OFF) { /* off only with one allowed CPU */
		CHECK(pl.active && CPU_COUNT(&pl.one) == 1);
		CHECK(CPU_ISSET(pl.cpu, &pl.all));
		CHECK(!CPU_ISSET(pl.cpu, &pl.others));
		CHECK_EQ_INT(CPU_COUNT(&pl.others), CPU_COUNT(&pl.all) - 1);
	}
}

TEST(run_delay_reads)
{
	uint64_t a = 0, b = 0;

	CHECK_EQ_INT(place_run_delay(getpid(), &a), 0);
	CHECK_EQ_INT(place_run_delay(getpid(), &b), 0);
	CHECK(b >= a);
	CHECK(place_run_delay(-5, &a) < 0);
	CHECK_EQ_INT(place_run_delay(0, &a), 0); /* the calling thread */
}

UNIT_MAIN(UNIT_T(decide_table), UNIT_T(decide_only_in_auto),
	  UNIT_T(init_respects_modes), UNIT_T(run_delay_reads))
