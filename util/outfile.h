/*
 * outfile.h - writing an output file people read (a batch, a sheet, an
 * export, a figure, a report) so that it is either complete or not there.
 *
 * A regular file, or a name that does not exist yet, is written to a
 * temporary file in the same directory (".NAME.tmp-PID-N", created with
 * O_EXCL and the permissions fopen would give, or those of the file it
 * replaces), which outfile_commit() flushes, checks, fsyncs and renames
 * over NAME; the directory is fsync'd after the rename.  A symbolic link
 * is followed: the file it names is replaced, the link stays.  Until the
 * rename, NAME keeps its old contents; a failure or outfile_abort()
 * removes the temporary file; a kill -9 may leave it behind, never a
 * truncated NAME.
 *
 * NULL or "-" is stdout, and a name that exists and is not a regular file
 * (a character device such as /dev/null or /dev/full, a FIFO, a socket) is
 * written in place: such a file is never renamed over or removed, and
 * every write, the flush and the close are checked, so /dev/full fails.
 * A directory is refused.
 *
 * Usage:
 *	struct outfile *o;
 *	if ((rc = outfile_open(&o, path)) < 0)
 *		return rc;
 *	... write to outfile_fp(o) ...
 *	if (rc < 0) outfile_abort(o); else rc = outfile_commit(o);
 */
#ifndef LSR_OUTFILE_H
#define LSR_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct outfile;

/* Open path for writing; on success *out is the caller's, to pass to
 * outfile_commit() or outfile_abort() exactly once.  LSR_ERROR with
 * "cannot write 'PATH': why" when it cannot be created. */
int outfile_open(struct outfile **out, const char *path);

/* The stream to write to (borrowed; never fclose it). */
FILE *outfile_fp(struct outfile *o);

/* The name given to outfile_open ("-" for stdout). */
const char *outfile_name(const struct outfile *o);

/* Finish: flush and check every write; for a temporary file fsync, close
 * and rename it into place.  0, or LSR_ERROR "cannot write 'PATH': why"
 * with the target left as it was (a device or FIFO may have received part
 * of the data).  Frees o either way. */
int outfile_commit(struct outfile *o);

/* Give up: the temporary file is removed and the target left as it was
 * (written in place: closed).  Frees o; NULL is allowed. */
void outfile_abort(struct outfile *o);

/* Commit when rc is 0, else abort and return rc unchanged: the end of a
 * write that produced rc. */
int outfile_finish(struct outfile *o, int rc);

/*
 * A file name made from free text (an analysis name in protocol.yaml):
 * letters, digits, '.', '_' and '-' of s in ASCII are kept, every other
 * byte becomes '_', so the name is valid on Windows too and never holds a
 * '/'; a leading '.' becomes '_' (no hidden file, no "..").  At most n - 1
 * bytes go to out, NUL-terminated.  'lsr pool' and 'lsr report' name
 * their figures with it (forest-NAME.svg).
 */
void outfile_safe_name(char *out, size_t n, const char *s);

/* The whole of data[0..len) to path, through the above. */
int outfile_write_all(const char *path, const void *data, size_t len);

#endif
