/*
 * sealkey.h: the sealing key: its file format, its protected home in
 * memory, and the derivations built on it (commitment, per-epoch MAC key,
 * forward ratchet).  Pure key handling: no I/O besides the key file, no
 * printing.
 *
 * Key file (docs/integrity.md): one line of ASCII,
 *
 *	capsule-seal-key-v1 <64 lowercase hex digits>\n
 *
 * mode 0600, created with O_EXCL so an existing file is never replaced.
 *
 * Derivations (BLAKE3 derive-key mode, key material = the 32 key bytes):
 *	commit      = derive(SEALKEY_CTX_COMMIT, K0)   written in the genesis
 *	mac_key(E)  = derive(SEALKEY_CTX_MAC, K_E)     keys seal E's MAC
 *	K_(E+1)     = derive(SEALKEY_CTX_RATCHET, K_E) then K_E is wiped
 *
 * A struct seal_key lives in its own mmap'ed page: mlock'ed (never
 * swapped), MADV_DONTDUMP (not in core dumps) and MADV_WIPEONFORK (a
 * child of fork(), such as the traced command before its execve, sees
 * zeros).  Copies on the stack are wiped with explicit_bzero().
 */
#ifndef CAPSULE_LOG_SEALKEY_H
#define CAPSULE_LOG_SEALKEY_H

#include <stdint.h>

#include <stddef.h>

#include "lib/blake3.h"

#define SEALKEY_MAGIC "capsule-seal-key-v1"
#define SEALKEY_CTX_COMMIT "capsule 2026-11-28 seal key commitment v1"
#define SEALKEY_CTX_MAC "capsule 2026-11-28 seal mac key v1"
#define SEALKEY_CTX_RATCHET "capsule 2026-11-28 seal key ratchet v1"

struct seal_key {
	uint8_t k[BLAKE3_KEY_LEN];	/* K_epoch: the current key */
	uint64_t epoch;			/* seals made (or checked) with it */
};

/*
 * Allocates a protected struct seal_key (see above) and fills it from
 * the key file at `path`, which must be a regular file not readable or
 * writable by group or others.  Returns 0 with *ret owned by the caller
 * (free with seal_key_free()), or -errno: -EINVAL for a malformed file,
 * -EPERM for loose permissions.
 */
int seal_key_load(const char *path, struct seal_key **ret);
/* The same from 32 raw bytes (tests, verify of a derived key). */
int seal_key_from_bytes(const uint8_t k[BLAKE3_KEY_LEN],
			struct seal_key **ret);
/* Wipes and unmaps; accepts NULL; returns NULL. */
struct seal_key *seal_key_free(struct seal_key *key);

/*
 * Creates a new key file at `path` (0600, O_EXCL|O_NOFOLLOW) with 32
 * bytes from getrandom().  Returns 0, -EEXIST if anything is already
 * there, or another -errno.
 */
int seal_key_generate(const char *path);

/*
 * Refuses a key file that lies in the directory of the log file
 * `log_path` or below it (whoever may write the log must not find the
 * key beside it).  Returns 0, -EEXIST when it does, or -errno.
 */
int seal_key_check_apart(const char *key_path, const char *log_path);

/* Writes the commitment of key `k` (call before any ratchet). */
void seal_key_commit(const struct seal_key *k, uint8_t out[BLAKE3_OUT_LEN]);
/* MAC of `len` bytes under the current epoch's MAC key. */
void seal_key_mac(const struct seal_key *k, const void *data, size_t len,
		  uint8_t out[BLAKE3_OUT_LEN]);
/* K = derive(ratchet, K); the old key is overwritten; epoch++. */
void seal_key_ratchet(struct seal_key *k);

#endif
