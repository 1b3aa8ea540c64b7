/*
 * progress.h (cli) - the terminal side of util/progress.h.
 */
#ifndef LSR_CLI_PROGRESS_H
#define LSR_CLI_PROGRESS_H

#include "../util/progress.h"

/* Set p to draw on stderr (when it is a tty and verbosity >= 0). */
void progress_cli_init(struct lsr_progress *p, int verbosity);
/* Clear the progress line, if one is shown. */
void progress_cli_done(void);

#endif
