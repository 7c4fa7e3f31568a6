/*
 * verify.h: the log verifier behind `capsule verify` (docs/integrity.md).
 *
 * Reads chained logs (log/chain.h) in bounded memory: one read buffer
 * per file, a fixed ring of recent hashes per stream for cross-stream
 * references, nothing proportional to the log.  It never parses JSON:
 * each line is checked by position (the chain prefix, the fixed
 * ,"hash": tail, the seal's heads and MAC), and its hash is recomputed
 * over the very bytes written.
 *
 * Several files of one run are read in lockstep, epoch by epoch: every
 * file up to its copy of seal E, then seal E is checked against the
 * heads of all streams.  No printing here: the result says what was
 * found and where, and cmd/verify.c reports it.
 */
#ifndef CAPSULE_LOG_VERIFY_H
#define CAPSULE_LOG_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/blake3.h"
#include "log/chain.h"
#include "log/sealkey.h"

/* The verdicts, which are also the exit codes of `capsule verify`. */
enum verify_status {
	VERIFY_OK = 0,		/* every line chained, final seal present */
	VERIFY_TAMPERED = 1,	/* a line is wrong: see where/why */
	VERIFY_INCOMPLETE = 2,	/* truncated or torn, nothing wrong before */
	VERIFY_ERROR = 3,	/* I/O error, wrong key, unsupported format */
};

#define VERIFY_MAX_LINE (1u << 20)	/* longer lines are refused */
#define VERIFY_BLOCK (4u << 20)		/* read(2) size */
#define VERIFY_RING 4096		/* recent hashes kept per stream */
#define VERIFY_MAX_PENDING 1024		/* forward references held */

struct verify_stream {
	char name[32];
	uint64_t seq;			/* records seen = next seq */
	uint8_t head[BLAKE3_OUT_LEN];	/* hash of the last one */
	char head_hex[CHAIN_HEX_LEN];	/* the same in hex, not terminated */
	uint8_t (*ring)[BLAKE3_OUT_LEN]; /* owned: hash of seq s at s % RING */
};

struct verify_ref {
	uint32_t stream;		/* index into streams[] */
	uint64_t seq;
	uint8_t hash[BLAKE3_OUT_LEN];
	uint64_t file, line;		/* where the reference was made */
};

struct verifier {
	/* inputs, set before verify_files() */
	struct seal_key *key;		/* borrowed; ratcheted while checking */
	bool have_expect;
	uint8_t expect[BLAKE3_OUT_LEN];	/* --expect: the final head */

	/* what the genesis said */
	bool have_genesis;
	unsigned version;		/* format version (0: not yet read) */
	uint8_t genesis[BLAKE3_OUT_LEN];
	bool keyed;			/* "seal":"keyed" */
	char run_id[40];		/* for the report: which run */
	char started[40];		/* its start time, as written */
	struct verify_stream streams[CHAIN_MAX_STREAMS];
	size_t nstreams;
	struct verify_stream seal;	/* seq = epochs seen */

	/* the seal read but not yet checked against every file */
	bool seal_pending;
	bool seal_final;
	uint64_t seal_copies;
	uint8_t seal_hash[BLAKE3_OUT_LEN];
	char seal_heads[CHAIN_MAX_STREAMS * 128];
	size_t seal_heads_len;
	uint64_t seal_file, seal_line;

	bool final_done;		/* the final seal is checked */
	struct verify_ref pending[VERIFY_MAX_PENDING];
	size_t npending;

	/* counters */
	uint64_t lines, records, since_seal, bytes;
	uint64_t refs_checked, refs_unchecked;

	/* verdict: the first problem found */
	enum verify_status status;
	bool authenticated;		/* key or expected head confirmed it */
	char why[160];
	uint64_t file, line;		/* where: file index, 1-based line */
	char stream[32];		/* the record's stream ("" unknown) */
	int64_t seq;			/* its seq, -1 unknown */
};

/* A source of lines: a file descriptor, or a buffer in memory. */
struct verify_input {
	const char *name;		/* borrowed: for messages only */
	int fd;				/* -1 for memory */
	const char *mem;		/* borrowed when fd < 0 */
	size_t mem_len;
};

/* Prepares `v`; key and expect are set by the caller afterwards. */
void verify_init(struct verifier *v);
/* Frees what `v` owns; accepts NULL. */
void verify_release(struct verifier *v);
/*
 * Verifies the files of one run (any order of files is accepted as long
 * as each holds the genesis and every seal).  Returns v->status.
 */
enum verify_status verify_files(struct verifier *v,
				const struct verify_input *in, size_t n);

#endif
