/*
 * fuzz_verify.c: libFuzzer target for the log verifier (src/log/verify.c).
 *
 * The input is split at the first NUL byte, if any, into two log files of
 * one run, so the multi-file lockstep and the cross-stream reference code
 * are reached as well as the single-file path.  The fuzz build defines
 * FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, which makes verify.c accept
 * the hashes and MACs it computes but cannot match, so mutations reach
 * the seal, reference and lockstep logic behind them.  The input size
 * also decides whether a key is given (bit 0), so the MAC and ratchet path
 * runs, and whether an expected final head is (bit 1), so the --expect
 * verdicts run.  Any verdict is fine; a crash, a sanitizer report or a
 * leak is not.
 *
 *	make fuzz && build-fuzz/fuzz_verify -max_total_time=300 NEW_DIR fuzz/corpus
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "log/verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key_bytes[BLAKE3_KEY_LEN] = { 1, 2, 3, 4 };
	static struct verifier v;
	struct verify_input in[2];
	struct seal_key *key = NULL;
	const uint8_t *nul = memchr(data, '\0', size);
	size_t n = 1;

	verify_init(&v);
	if ((size & 1) &&
	    seal_key_from_bytes(key_bytes, &key) == 0)
		v.key = key;
	if (size & 2) {
		v.have_expect = true;
		memset(v.expect, 0xab, sizeof(v.expect));
	}
	in[0] = (struct verify_input){ "a", -1, (const char *)data,
				       nul ? (size_t)(nul - data) : size };
	if (nul != NULL) {
		in[1] = (struct verify_input){ "b", -1, (const char *)nul + 1,
					       size - (size_t)(nul - data) - 1 };
		n = 2;
	}
	(void)verify_files(&v, in, n);
	verify_release(&v);
	seal_key_free(key);
	return 0;
}
