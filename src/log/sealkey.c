/*
 * sealkey.c: key file, protected key memory and key derivations (see
 * sealkey.h).
 */
#include "log/sealkey.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <stdio.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hex.h"

/* "capsule-seal-key-v1 " + 64 hex + "\n" */
#define KEYFILE_LEN (sizeof(SEALKEY_MAGIC) + 2 * BLAKE3_KEY_LEN + 1)

static int key_alloc(struct seal_key **ret)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = page > 0 ? (size_t)page : 4096;
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return -errno;
	/*
	 * Best effort each: mlock may exceed RLIMIT_MEMLOCK, old kernels
	 * lack MADV_WIPEONFORK; the key is still usable without them.
	 */
	(void)mlock(p, len);
	(void)madvise(p, len, MADV_DONTDUMP);
#ifdef MADV_WIPEONFORK
	(void)madvise(p, len, MADV_WIPEONFORK);
#endif
	*ret = p;
	return 0;
}

struct seal_key *seal_key_free(struct seal_key *key)
{
	long page = sysconf(_SC_PAGESIZE);

	if (key == NULL)
		return NULL;
	explicit_bzero(key, sizeof(*key));
	(void)munmap(key, page > 0 ? (size_t)page : 4096);
	return NULL;
}

int seal_key_from_bytes(const uint8_t k[BLAKE3_KEY_LEN], struct seal_key **ret)
{
	struct seal_key *key;
	int r = key_alloc(&key);

	if (r < 0)
		return r;
	memcpy(key->k, k, BLAKE3_KEY_LEN);
	key->epoch = 0;
	*ret = key;
	return 0;
}

int seal_key_load(const char *path, struct seal_key **ret)
{
	char text[KEYFILE_LEN + 1];
	struct seal_key *key;
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	if (st.st_mode & 077) {
		close(fd);
		return -EPERM;
	}
	r = key_alloc(&key);
	if (r < 0) {
		close(fd);
		return r;
	}
	/* one byte more than a valid file, to see trailing junk */
	while (got < sizeof(text)) {
		n = read(fd, text + got, sizeof(text) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	r = n < 0 ? -errno : 0;
	close(fd);
	if (r == 0 &&
	    (got != KEYFILE_LEN ||
	     memcmp(text, SEALKEY_MAGIC " ", sizeof(SEALKEY_MAGIC)) != 0 ||
	     text[KEYFILE_LEN - 1] != '\n' ||
	     hex_decode(text + sizeof(SEALKEY_MAGIC), BLAKE3_KEY_LEN, key->k) <
		     0))
		r = -EINVAL;
	explicit_bzero(text, sizeof(text));
	if (r < 0) {
		seal_key_free(key);
		return r;
	}
	key->epoch = 0;
	*ret = key;
	return 0;
}

int seal_key_generate(const char *path)
{
	uint8_t k[BLAKE3_KEY_LEN];
	char text[KEYFILE_LEN + 1];
	size_t off = 0;
	ssize_t n;
	int fd, r = 0;

	if (getrandom(k, sizeof(k), 0) != (ssize_t)sizeof(k))
		return -EIO;
	memcpy(text, SEALKEY_MAGIC " ", sizeof(SEALKEY_MAGIC));
	hex_encode(k, sizeof(k), text + sizeof(SEALKEY_MAGIC));
	text[KEYFILE_LEN - 1] = '\n';
	explicit_bzero(k, sizeof(k));
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	while (off < KEYFILE_LEN) {
		n = write(fd, text + off, KEYFILE_LEN - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		(void)unlink(path);
out:
	explicit_bzero(text, sizeof(text));
	return r;
}

int seal_key_check_apart(const char *key_path, const char *log_path)
{
	char kp[PATH_MAX], lp[PATH_MAX], *dir;
	struct stat logdir, st;
	int r = 0;

	if (realpath(key_path, kp) == NULL)
		return -errno;
	if (snprintf(lp, sizeof(lp), "%s", log_path) >= (int)sizeof(lp))
		return -ENAMETOOLONG;
	if (stat(dirname(lp), &logdir) < 0)
		return -errno;
	/* walk up from the key's directory to / */
	dir = dirname(kp);
	for (;;) {
		if (stat(dir, &st) == 0 && st.st_dev == logdir.st_dev &&
		    st.st_ino == logdir.st_ino) {
			r = -EEXIST;
			break;
		}
		if (strcmp(dir, "/") == 0)
			break;
		dir = dirname(dir);
	}
	explicit_bzero(kp, sizeof(kp));
	return r;
}

static void derive(const char *ctx, const uint8_t k[BLAKE3_KEY_LEN],
		   uint8_t out[BLAKE3_OUT_LEN])
{
	struct blake3_hasher h;

	blake3_init_derive_key(&h, ctx);
	blake3_update(&h, k, BLAKE3_KEY_LEN);
	blake3_finalize(&h, out, BLAKE3_OUT_LEN);
	explicit_bzero(&h, sizeof(h));
}

void seal_key_commit(const struct seal_key *k, uint8_t out[BLAKE3_OUT_LEN])
{
	derive(SEALKEY_CTX_COMMIT, k->k, out);
}

void seal_key_mac(const struct seal_key *k, const void *data, size_t len,
		  uint8_t out[BLAKE3_OUT_LEN])
{
	uint8_t mk[BLAKE3_KEY_LEN];
	struct blake3_hasher h;

	derive(SEALKEY_CTX_MAC, k->k, mk);
	blake3_init_keyed(&h, mk);
	blake3_update(&h, data, len);
	blake3_finalize(&h, out, BLAKE3_OUT_LEN);
	explicit_bzero(mk, sizeof(mk));
	explicit_bzero(&h, sizeof(h));
}

void seal_key_ratchet(struct seal_key *k)
{
	uint8_t next[BLAKE3_KEY_LEN];

	derive(SEALKEY_CTX_RATCHET, k->k, next);
	memcpy(k->k, next, sizeof(next));
	explicit_bzero(next, sizeof(next));
	k->epoch++;
}
