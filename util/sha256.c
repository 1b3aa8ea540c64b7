/*
 * sha256.c - thin wrapper over OpenSSL's EVP digest API (see sha256.h).
 */
#include "sha256.h"
#include "err.h"

#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

struct sha256 {
	EVP_MD_CTX *ctx;
};

struct sha256 *sha256_new(void)
{
	struct sha256 *h = OPENSSL_zalloc(sizeof(*h));

	if (!h) {
		lsr_error_oom();
		return NULL;
	}
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || !EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL)) {
		sha256_free(h);
		lsr_error_set(LSR_ERROR, "cannot initialise SHA-256");
		return NULL;
	}
	return h;
}

int sha256_update(struct sha256 *h, const void *data, size_t len)
{
	if (!EVP_DigestUpdate(h->ctx, data, len))
		return lsr_error_set(LSR_ERROR, "SHA-256 update failed");
	return 0;
}

int sha256_final(struct sha256 *h, char out[SHA256_HEX_LEN + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int ok = EVP_DigestFinal_ex(h->ctx, md, &mdlen);

	sha256_free(h);
	if (!ok || mdlen != 32)
		return lsr_error_set(LSR_ERROR, "SHA-256 final failed");
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	return 0;
}

void sha256_free(struct sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	OPENSSL_free(h);
}

int sha256_file(const char *path, char out[SHA256_HEX_LEN + 1])
{
	unsigned char chunk[1 << 16];
	struct sha256 *h;
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return lsr_error_set(LSR_ENOTFOUND, "cannot open '%s': %s", path,
				     strerror(errno));
	h = sha256_new();
	if (!h) {
		fclose(f);
		return lsr_error_last_code();
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (sha256_update(h, chunk, n) < 0) {
			sha256_free(h);
			fclose(f);
			return LSR_ERROR;
		}
	if (ferror(f)) {
		sha256_free(h);
		fclose(f);
		return lsr_error_set(LSR_ERROR, "cannot read '%s'", path);
	}
	fclose(f);
	return sha256_final(h, out);
}
