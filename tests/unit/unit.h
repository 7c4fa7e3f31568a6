/*
 * unit.h: the tiny unit-test harness used by every tests/unit/test_*.c.
 *
 * A test file defines functions with TEST(name) and lists them in
 * UNIT_MAIN(t1, t2, ...).  CHECK() records a failure and goes on; the
 * binary prints one line per failed check and closes with
 * "<file>: N passed, N failed" (a test passes when none of its checks
 * failed).  Exit status is 0 only if every test passed.
 */
#ifndef CAPSULE_UNIT_H
#define CAPSULE_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_checks;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			unit_failed_checks++;                                \
			fprintf(stderr, "%s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                  \
		}                                                            \
	} while (0)

#define CHECK_EQ_INT(a, b)                                                   \
	do {                                                                 \
		long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);\
		if (unit_a_ != unit_b_) {                                    \
			unit_failed_checks++;                                \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",\
				__FILE__, __LINE__, #a, unit_a_, unit_b_);   \
		}                                                            \
	} while (0)

#define CHECK_EQ_STR(a, b)                                                   \
	do {                                                                 \
		const char *unit_a_ = (a), *unit_b_ = (b);                   \
		if (unit_a_ == NULL || unit_b_ == NULL ||                    \
		    strcmp(unit_a_, unit_b_) != 0) {                         \
			unit_failed_checks++;                                \
			fprintf(stderr, "%s:%d: %s == \"%s\", expected "     \
					"\"%s\"\n", __FILE__, __LINE__, #a,  \
				unit_a_ ? unit_a_ : "(null)",                \
				unit_b_ ? unit_b_ : "(null)");               \
		}                                                            \
	} while (0)

struct unit_test {
	const char *name;
	void (*fn)(void);
};

#define UNIT_T(fn) { #fn, fn }

static inline int unit_run(const char *file, const struct unit_test *t,
			   size_t n)
{
	int passed = 0, failed = 0;

	for (size_t i = 0; i < n; i++) {
		int before = unit_failed_checks;

		t[i].fn();
		if (unit_failed_checks == before) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s\n", t[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", file, passed, failed);
	return failed ? 1 : 0;
}

#define UNIT_MAIN(...)                                                       \
	int main(void)                                                       \
	{                                                                    \
		static const struct unit_test unit_tests_[] = {__VA_ARGS__}; \
		return unit_run(__FILE__, unit_tests_,                       \
				sizeof(unit_tests_) / sizeof(unit_tests_[0]));\
	}

#endif
