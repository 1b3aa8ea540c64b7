/*
 * sha256.h - SHA-256 of files and memory, as lowercase hex (OpenSSL's EVP).
 * Used to recognise an export file that was already imported.
 */
#ifndef LSR_SHA256_H
#define LSR_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

struct sha256; /* opaque streaming context */

struct sha256 *sha256_new(void);
int sha256_update(struct sha256 *h, const void *data, size_t len);
/* Write 64 hex digits and a NUL into out, and free h. */
int sha256_final(struct sha256 *h, char out[SHA256_HEX_LEN + 1]);
void sha256_free(struct sha256 *h);

/* Hash a whole file (its bytes as stored, compressed or not). */
int sha256_file(const char *path, char out[SHA256_HEX_LEN + 1]);

#endif
