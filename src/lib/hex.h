/*
 * hex.h: lowercase hexadecimal, the one spelling of hashes and keys in
 * capsule's logs and key files.
 */
#ifndef CAPSULE_LIB_HEX_H
#define CAPSULE_LIB_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Writes 2n lowercase hex digits of in[0..n) to out, then a NUL. */
void hex_encode(const uint8_t *in, size_t n, char *out);
/*
 * Decodes exactly 2n lowercase hex digits at in (uppercase is refused: a
 * hash has one spelling).  Returns 0, or -EINVAL leaving out undefined.
 */
int hex_decode(const char *in, size_t n, uint8_t *out);

#endif
