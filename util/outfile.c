/*
 * outfile.c - output files written whole or not at all (see outfile.h).
 */
#include "outfile.h"
#include "buf.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

struct outfile {
	FILE *f;      /* over fd through fd_write, or stdout */
	int fd;       /* -1 for stdout */
	int err;      /* errno of the first failed write, or 0 */
	char *name;   /* as given, for messages */
	char *target; /* what the temporary file replaces (links resolved) */
	char *tmp;    /* the temporary file, or NULL when written in place */
	int is_stdout;
};

/* The stream's writes: all of buf, or 0 (fopencookie's failure: never
 * negative) with the first errno kept in o->err, which stdio's own error
 * flag does not keep. */
static ssize_t fd_write(void *cookie, const char *buf, size_t n)
{
	struct outfile *o = cookie;
	size_t done = 0;

	while (done < n) {
		ssize_t w = write(o->fd, buf + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (!o->err)
				o->err = w < 0 ? errno : EIO;
			return 0;
		}
		done += (size_t)w;
	}
	return (ssize_t)n;
}

/* The stream over o->fd (which stays open: outfile_commit closes it). */
static int open_stream(struct outfile *o)
{
	static const cookie_io_functions_t io = { NULL, fd_write, NULL, NULL };

	o->f = fopencookie(o, "wb", io);
	return o->f ? 0 : -1;
}

static void outfile_free(struct outfile *o)
{
	if (o->fd >= 0)
		close(o->fd);
	free(o->name);
	free(o->target);
	free(o->tmp);
	free(o);
}

/* "cannot write 'NAME': why", from errno e (0: the stream's error flag
 * was set by an earlier write whose errno is gone) */
static int write_error(const struct outfile *o, int e)
{
	return lsr_error_set(LSR_ERROR, "cannot write '%s': %s", o->name,
			     e ? strerror(e) : "write error");
}

/* Create the temporary file beside o->target, with mode (before umask). */
static int open_tmp(struct outfile *o, const struct stat *old)
{
	const char *slash = strrchr(o->target, '/');
	struct buf b = BUF_INIT;
	int fd = -1;

	for (unsigned n = 0; n < 1000 && fd < 0; n++) {
		buf_reset(&b);
		if (slash)
			buf_printf(&b, "%.*s/.%s.tmp-%ld-%u", (int)(slash - o->target), o->target,
				   slash + 1, (long)getpid(), n);
		else
			buf_printf(&b, ".%s.tmp-%ld-%u", o->target, (long)getpid(), n);
		if (!b.s) {
			buf_release(&b);
			return lsr_error_oom();
		}
		fd = open(b.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0 && errno != EEXIST) {
			int e = errno;

			buf_release(&b);
			return write_error(o, e);
		}
	}
	if (fd < 0) {
		buf_release(&b);
		return write_error(o, EEXIST);
	}
	o->tmp = buf_detach(&b);
	o->fd = fd;
	/* the file replaced keeps its permissions, as fopen("w") keeps them */
	if ((old && fchmod(fd, old->st_mode & 07777) < 0) || open_stream(o) < 0) {
		int e = errno;

		close(fd);
		o->fd = -1;
		unlink(o->tmp);
		return write_error(o, e);
	}
	return 0;
}

int outfile_open(struct outfile **out, const char *path)
{
	struct outfile *o;
	struct stat st, lst;
	int rc = 0, exists;

	*out = NULL;
	o = calloc(1, sizeof(*o));
	if (!o || !(o->name = xstrdup(path ? path : "-"))) {
		free(o);
		return lsr_error_oom();
	}
	o->fd = -1;
	if (!path || !strcmp(path, "-")) {
		o->is_stdout = 1;
		o->f = stdout;
		*out = o;
		return 0;
	}
	exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		rc = write_error(o, EISDIR);
	} else if (exists && !S_ISREG(st.st_mode)) {
		/* a device, FIFO or socket: in place, never renamed over */
		o->fd = open(path, O_WRONLY | O_CLOEXEC);
		if (o->fd < 0 || open_stream(o) < 0)
			rc = write_error(o, errno);
	} else {
		if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
			o->target = realpath(path, NULL);
		else
			o->target = xstrdup(path);
		if (!o->target)
			rc = errno == ENOMEM ? lsr_error_oom() : write_error(o, errno);
		else
			rc = open_tmp(o, exists ? &st : NULL);
	}
	if (rc < 0) {
		outfile_free(o);
		return rc;
	}
	*out = o;
	return 0;
}

FILE *outfile_fp(struct outfile *o)
{
	return o->f;
}

const char *outfile_name(const struct outfile *o)
{
	return o->name;
}

/* fsync the directory holding path, so that the rename is durable; a
 * file system that cannot (EINVAL) is not an error */
static int sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
			  : xstrdup(".");
	int fd, rc = 0;

	if (!dir)
		return -ENOMEM;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		if (fsync(fd) < 0 && errno != EINVAL)
			rc = -errno;
		close(fd);
	}
	free(dir);
	return rc;
}

int outfile_commit(struct outfile *o)
{
	int e = 0, rc = 0, bad;

	errno = 0;
	bad = fflush(o->f) != 0;
	if (bad)
		e = errno;
	bad |= ferror(o->f) != 0;
	if (!o->is_stdout) {
		bad |= fclose(o->f) != 0;
		if (!bad && o->tmp && fsync(o->fd) < 0)
			bad = 1, e = errno;
		if (close(o->fd) < 0 && !bad)
			bad = 1, e = errno;
		o->fd = -1;
	}
	if (!bad && o->tmp && rename(o->tmp, o->target) < 0)
		bad = 1, e = errno;
	if (bad) {
		rc = write_error(o, o->err ? o->err : e);
		if (o->tmp)
			unlink(o->tmp);
	} else if (o->tmp && (e = sync_dir(o->target)) < 0) {
		rc = write_error(o, -e);
	}
	outfile_free(o);
	return rc;
}

void outfile_abort(struct outfile *o)
{
	if (!o)
		return;
	if (!o->is_stdout)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	outfile_free(o);
}

int outfile_finish(struct outfile *o, int rc)
{
	if (rc < 0) {
		outfile_abort(o);
		return rc;
	}
	return outfile_commit(o);
}

void outfile_safe_name(char *out, size_t n, const char *s)
{
	size_t i = 0;

	if (!n)
		return;
	for (; *s && i + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;
		int keep = (c < 0x80 && isalnum(c)) || c == '_' || c == '-' || (c == '.' && i > 0);

		out[i++] = (char)(keep ? c : '_');
	}
	out[i] = '\0';
}

int outfile_write_all(const char *path, const void *data, size_t len)
{
	struct outfile *o;
	int rc = outfile_open(&o, path);

	if (rc < 0)
		return rc;
	if (len && fwrite(data, 1, len, o->f) != len) {
		rc = write_error(o, o->err ? o->err : errno);
		outfile_abort(o);
		return rc;
	}
	return outfile_commit(o);
}
