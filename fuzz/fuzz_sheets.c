/*
 * fuzz_sheets.c - the readers of files people fill in, on the shared
 * review (fuzz.h), each import rolled back: FUZZ_SHEET is
 *   1  a screening batch file (lsr screen import, reviewer "fuzz")
 *   2  an extraction sheet (lsr extract import)
 *   3  a risk-of-bias sheet (lsr rob import)
 *   4  an import file of any format, gzip or not (lsr import: detection,
 *      the .gz reader, storing)
 */
#include "fuzz.h"

#include "extract/extract.h"
#include "fetch/fetch.h"
#include "screen/screen.h"

#ifndef FUZZ_SHEET
#error "FUZZ_SHEET chooses the reader"
#endif

static int import(struct fuzz_review *r, const char *path, void *arg)
{
	(void)arg;
#if FUZZ_SHEET == 1
	struct screen_import_result res;

	return screen_import(r->db, r->p, path, "fuzz", &res);
#elif FUZZ_SHEET == 2
	struct extract_import_result res;

	return extract_sheet_import(&res, r->db, r->p, path, "fuzz");
#elif FUZZ_SHEET == 3
	struct extract_import_result res;

	return extract_rob_import(&res, r->db, r->p, path, "fuzz");
#elif FUZZ_SHEET == 4
	struct fetch_import_opts o = { 0 };
	struct fetch_import_result res;

	o.source = "Fuzz";
	o.protocol = r->p;
	o.force = 1;
	return fetch_import(r->db, path, &o, &res);
#else
#error "FUZZ_SHEET: 1 to 4"
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path;

	fuzz_review();
	path = fuzz_file(FUZZ_SHEET == 4 ? "input" : "input.csv", data, size);
	if (path)
		fuzz_in_rollback(import, path, NULL);
	return 0;
}
