/*
 * cmd_test_normalize.c - lsr test-normalize: a hidden command that shows
 * how deduplication normalises text, for CLI tests (fossil's test-*
 * commands).
 *
 *     lsr test-normalize title|fingerprint|doi|pages|surname|kind TEXT
 *     lsr test-normalize journal NAME NAME
 */
#include "lsr.h"
#include "opt.h"
#include "../screen/screen.h"
#include "../util/err.h"

#include <stdio.h>
#include <string.h>

static const char *const test_normalize_usage[] = {
	"lsr test-normalize title|fingerprint|doi|pages|surname|kind TEXT",
	"lsr test-normalize journal NAME NAME",
	NULL
};

int cmd_test_normalize(int argc, const char **argv, struct lsr_ctx *ctx)
{
	struct opt opts[] = { OPT_END() };
	const char **args;
	int n = opt_parse(argc, argv, opts, test_normalize_usage, &args), rc = 0;
	struct buf out = BUF_INIT;

	(void)ctx;
	if (n < 0 || n == OPT_HELP)
		return n;
	if (n == 3 && !strcmp(args[0], "journal")) {
		struct buf a = BUF_INIT, b = BUF_INIT;

		if ((rc = screen_norm_text(&a, args[1], strlen(args[1]))) == 0 &&
		    (rc = screen_norm_text(&b, args[2], strlen(args[2]))) == 0)
			printf("%d\n", screen_journal_match(a.s, b.s));
		buf_release(&a);
		buf_release(&b);
		return rc;
	}
	if (n != 2)
		return lsr_error_set(LSR_EUSAGE, "test-normalize needs a kind and one text");
	if (!strcmp(args[0], "title"))
		rc = screen_norm_title(&out, args[1]);
	else if (!strcmp(args[0], "fingerprint"))
		rc = screen_title_fingerprint(&out, args[1]);
	else if (!strcmp(args[0], "doi"))
		rc = screen_norm_doi(&out, args[1]);
	else if (!strcmp(args[0], "pages"))
		rc = screen_norm_pages(&out, args[1]);
	else if (!strcmp(args[0], "surname"))
		rc = screen_norm_surname(&out, args[1]);
	else if (!strcmp(args[0], "kind"))
		rc = buf_adds(&out, screen_kind_name(screen_record_kind(args[1], NULL, NULL)));
	else
		rc = lsr_error_set(LSR_EUSAGE, "unknown kind '%s' (expected title, fingerprint, doi, pages, surname, kind or journal)",
				   args[0]);
	if (rc == 0)
		printf("%s\n", out.s);
	buf_release(&out);
	return rc;
}
