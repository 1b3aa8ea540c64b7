/*
 * fuzz_protocol.c - protocol_load() on the input as protocol.yaml (the
 * UTF-8 check, libfyaml, every check of the protocol's fields).
 */
#include "fuzz.h"

#include "db/protocol.h"
#include "util/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("input.yaml", data, size);
	struct protocol *p = NULL;

	if (path && protocol_load(&p, path) == 0)
		protocol_free(p);
	lsr_error_clear();
	return 0;
}
