/*
 * chain.h: hash chains, genesis and seal records (docs/log-format.md,
 * "Chain").
 *
 * Every line of a chained log has the shape
 *
 *	{"type":T,"stream":S,"seq":N PAYLOAD,"prev":"<64 hex>","hash":"<64 hex>"}\n
 *
 * where hash = BLAKE3 of exactly the bytes before ,"hash": (the line from
 * its '{' up to the end of the prev member) and prev is the hash of the
 * previous line of the same stream, or of the genesis record for a
 * stream's first line.  Format version 2: version 1 had prev right after
 * seq; prev moved to the end so that only the last blocks of a line
 * depend on the previous line (chain_log hashes the rest of several lines
 * side by side, see lib/blake3_lanes.h).  The serializer of a stream writes only PAYLOAD (members, each
 * starting with a comma) between chain_begin() and chain_end(); it never
 * hashes.
 *
 * struct chain_log ties the streams of one run together: it writes the
 * genesis record first into every file, chains each stream, and seals:
 * a seal record (stream "seal", seq = epoch, no gaps) lists the head
 * (record count and last hash) of every stream and, with a key, a MAC
 * under the current epoch's key, after which the key ratchets forward.
 * Keyed logs are sealed every `seal_every` records or `seal_interval_ns`,
 * idle time included; every log gets a final seal.  Seal lines go to
 * every file of the run, identical.
 *
 * This module knows lines and files, not events: record.c and later
 * serializers fill the payload.
 */
#ifndef CAPSULE_LOG_CHAIN_H
#define CAPSULE_LOG_CHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/blake3.h"
#include "lib/buf.h"
#include "log/sealkey.h"
#include "log/writer.h"

#define CHAIN_FORMAT_VERSION 2
#define CHAIN_MAX_STREAMS 8
#define CHAIN_HEX_LEN (2 * BLAKE3_OUT_LEN)
/* ,"hash":"<64 hex>"}  -- the fixed tail of every line, '\n' excluded */
#define CHAIN_TAIL_LEN (9 + CHAIN_HEX_LEN + 2)
/* ,"prev":"<64 hex>"  -- the fixed end of the hashed bytes (version 2) */
#define CHAIN_PREV_LEN (8 + CHAIN_HEX_LEN + 2)
/* ,"mac":"<64 hex>"  -- the fixed end of a keyed seal's payload */
#define CHAIN_MAC_LEN (8 + CHAIN_HEX_LEN + 1)
/* Bytes of the command line kept in the genesis (a line stays short). */
#define CHAIN_ARGV_MAX (64 * 1024)
/* Records chain_log_end_batch() holds at most before hashing them. */
#define CHAIN_BATCH_MAX 16
/* ... and bytes of them (the lane offsets stay far below 2^31). */
#define CHAIN_BATCH_BYTES (256 * 1024)
#define CHAIN_SEAL_STREAM "seal"
#define CHAIN_GENESIS_STREAM "genesis"

/* One stream's chain. */
struct chain {
	const char *name;		/* borrowed: a static [a-z0-9_] name */
	uint64_t seq;			/* records so far = seq of the next */
	uint8_t head[BLAKE3_OUT_LEN];	/* hash of its last line */
	/* chain_end()'s hex of the hash it made, for the next "prev"
	 * (used while hex_of still equals head) */
	bool hex_ok;
	uint8_t hex_of[BLAKE3_OUT_LEN];
	char hex[2 * BLAKE3_OUT_LEN];
};

/* Appends {"type":"<type>","stream":"<name>","seq":N */
void chain_begin(const struct chain *c, struct buf *line, const char *type);
/*
 * Appends ,"prev":"<hex>", hashes line->s[start..len), appends
 * ,"hash":"<hex>"}\n and advances
 * the chain (seq + 1, head = the hash).  `start` is where chain_begin()
 * began writing.
 */
void chain_end(struct chain *c, struct buf *line, size_t start);

/* What the genesis record says about the run (see chain_log_genesis()). */
struct genesis_info {
	char *const *argv;	/* borrowed: the traced command, NULL-ended */
	int64_t start_sec;	/* CLOCK_REALTIME at the start */
	long start_nsec;
};

/* How the traced command ended, for the final seal. */
struct chain_exit {
	int code;	/* capsule's exit code (the command's, 128+N, ...) */
	int signal;	/* the signal that killed it, or 0 */
};

struct chain_log {
	struct chain streams[CHAIN_MAX_STREAMS];
	struct log_stream *out[CHAIN_MAX_STREAMS]; /* borrowed: each file */
	size_t nstreams;
	struct chain seal;		/* seq = epoch of the next seal */
	struct seal_key *key;		/* borrowed; NULL: not keyed */
	uint8_t genesis[BLAKE3_OUT_LEN];
	uint64_t seal_every;		/* keyed: records per seal at most */
	uint64_t seal_interval_ns;	/* keyed: time between seals at most */
	uint64_t since_seal;		/* records since the last seal */
	uint64_t last_seal_ns;		/* CLOCK_MONOTONIC of the last seal */
	bool sealed_final;
	/*
	 * owned: the records held by chain_log_end_batch() (complete
	 * lines whose prev and hash are still to be filled in), then the
	 * line being built, from line_start on
	 */
	struct buf line;
	size_t line_start;
	size_t nbatch;
	struct {
		int idx;		/* its stream */
		uint32_t start;		/* its '{' in line */
		uint32_t len;		/* its hashed bytes, prev included */
		uint64_t seq;		/* its seq */
	} batch[CHAIN_BATCH_MAX];
	/*
	 * Called for each held line once hashed, in order (NULL: not
	 * called): its stream, seq and hash.  It must not end records.
	 */
	void (*on_settle)(void *ctx, int idx, uint64_t seq,
			  const uint8_t hash[BLAKE3_OUT_LEN]);
	void *on_settle_ctx;	/* borrowed */
};

/*
 * Prepares a log; `key` (may be NULL) stays the caller's and must
 * outlive the log.  Streams are added next, then the genesis written.
 */
void chain_log_init(struct chain_log *cl, struct seal_key *key,
		    uint64_t seal_every, uint64_t seal_interval_ns);
/* Adds stream `name` written to `out`; returns its index or -ENOSPC. */
int chain_log_add_stream(struct chain_log *cl, const char *name,
			 struct log_stream *out);
/*
 * Writes the genesis record into every file: format version, streams,
 * sealing mode and key commitment, a random run id (getrandom), the boot
 * id, host name, start time, uid and command line.  Returns 0 or -errno
 * (no randomness).
 */
int chain_log_genesis(struct chain_log *cl, const struct genesis_info *gi);

/*
 * Starts a record of `type` in stream `idx`: returns the line buffer,
 * which the caller extends with the payload members (each beginning
 * with ',') before calling chain_log_end().  Borrowed, valid until
 * chain_log_end().
 */
struct buf *chain_log_begin(struct chain_log *cl, int idx, const char *type);
/*
 * Ends and writes the record (after the records still held, in order);
 * seals if `seal_every` is reached.  Afterwards the stream's head is its
 * hash.
 */
void chain_log_end(struct chain_log *cl, int idx);
/*
 * Ends the record but holds it: its hash (hence the next record's prev)
 * is computed with those of the other held records, side by side
 * (lib/blake3_lanes.h), when CHAIN_BATCH_MAX are held, by the next
 * chain_log_end() or seal, or by chain_log_settle().  Until then the
 * stream's seq counts it but its head is not its hash.
 */
void chain_log_end_batch(struct chain_log *cl, int idx);
/* Hashes and writes the records held; a no-op when none is. */
void chain_log_settle(struct chain_log *cl);

/*
 * Keyed logs: the CLOCK_MONOTONIC time (ns) by which the next seal is
 * due, or 0 when no timed seal is due (unkeyed).
 */
uint64_t chain_log_deadline(const struct chain_log *cl);
/* Seals if the deadline has passed at `now_ns` (CLOCK_MONOTONIC). */
void chain_log_tick(struct chain_log *cl, uint64_t now_ns);
/*
 * Writes the final seal (with the exit status), flushes and fdatasyncs
 * every file.  Afterwards cl->seal.head is the final head.  Returns 0 or
 * the first -errno of a file.
 */
int chain_log_final(struct chain_log *cl, const struct chain_exit *ex);
/* Frees what the log owns (not the files, not the key); accepts NULL. */
void chain_log_release(struct chain_log *cl);

/* CLOCK_MONOTONIC now, in ns. */
uint64_t chain_now_ns(void);

#endif
