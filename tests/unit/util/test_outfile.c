/*
 * test_outfile.c - output files are complete or absent: a new file and a
 * replaced one appear whole by rename and leave no temporary file behind,
 * on success and on failure (a write refused by RLIMIT_FSIZE), the old
 * contents and permissions survive a failure, a symbolic link stays a
 * link, and devices and FIFOs are written in place, never renamed over:
 * /dev/full fails and stays a character device.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/err.h"
#include "util/outfile.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lsr-outfile-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.csv", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* the names in dir, sorted, joined by spaces */
static const char *listing(void)
{
	static char out[1024];
	struct dirent **ents;
	int n = scandir(dir, &ents, NULL, alphasort);

	assert_true(n >= 0);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (strcmp(ents[i]->d_name, ".") && strcmp(ents[i]->d_name, "..")) {
			if (out[0])
				strcat(out, " ");
			strncat(out, ents[i]->d_name, sizeof(out) - strlen(out) - 2);
		}
		free(ents[i]);
	}
	free(ents);
	return out;
}

static const char *contents(const char *p)
{
	static char out[4096];
	FILE *f = fopen(p, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = '\0';
	fclose(f);
	return out;
}

static void put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void test_util_outfile__new_file_by_rename(void **state)
{
	struct outfile *o;

	(void)state;
	assert_int_equal(outfile_open(&o, path), 0);
	fputs("a,b\n", outfile_fp(o));
	/* until the commit only the temporary file exists */
	assert_int_equal(access(path, F_OK), -1);
	assert_non_null(strstr(listing(), ".out.csv.tmp-"));
	assert_int_equal(outfile_commit(o), 0);
	assert_string_equal(contents(path), "a,b\n");
	assert_string_equal(listing(), "out.csv");
}

static void test_util_outfile__replace_keeps_mode(void **state)
{
	struct outfile *o;
	struct stat st;

	(void)state;
	put(path, "old\n");
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(outfile_open(&o, path), 0);
	fputs("new\n", outfile_fp(o));
	assert_string_equal(contents(path), "old\n");
	assert_int_equal(outfile_commit(o), 0);
	assert_string_equal(contents(path), "new\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_string_equal(listing(), "out.csv");
}

static void test_util_outfile__abort_leaves_old(void **state)
{
	struct outfile *o;

	(void)state;
	put(path, "old\n");
	assert_int_equal(outfile_open(&o, path), 0);
	fputs("half", outfile_fp(o));
	outfile_abort(o);
	assert_string_equal(contents(path), "old\n");
	assert_string_equal(listing(), "out.csv");
	outfile_abort(NULL);
}

/* a write past RLIMIT_FSIZE fails with EFBIG (SIGXFSZ ignored) */
static void test_util_outfile__failed_write_leaves_nothing(void **state)
{
	struct rlimit old, small;
	struct outfile *o;
	static char big[65536];

	(void)state;
	memset(big, 'x', sizeof(big));
	put(path, "old\n");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 1000;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);

	assert_int_equal(outfile_open(&o, path), 0);
	fwrite(big, 1, sizeof(big), outfile_fp(o));
	assert_int_equal(outfile_commit(o), LSR_ERROR);
	assert_non_null(strstr(lsr_error_last(), "cannot write '"));
	assert_non_null(strstr(lsr_error_last(), "File too large"));
	assert_string_equal(contents(path), "old\n");
	assert_string_equal(listing(), "out.csv");

	/* the same through outfile_write_all, to a new name */
	snprintf(path, sizeof(path), "%s/new.svg", dir);
	assert_int_equal(outfile_write_all(path, big, sizeof(big)), LSR_ERROR);
	assert_string_equal(listing(), "out.csv");

	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	snprintf(path, sizeof(path), "%s/out.csv", dir);
}

static void test_util_outfile__symlink_stays(void **state)
{
	char link[160];
	struct stat st;

	(void)state;
	put(path, "old\n");
	snprintf(link, sizeof(link), "%s/link.csv", dir);
	assert_int_equal(symlink("out.csv", link), 0);
	assert_int_equal(outfile_write_all(link, "new\n", 4), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_string_equal(contents(path), "new\n");
	assert_string_equal(listing(), "link.csv out.csv");
}

static void test_util_outfile__devices_in_place(void **state)
{
	static char big[65536];
	struct outfile *o;
	struct stat st;

	(void)state;
	assert_int_equal(outfile_write_all("/dev/null", "x", 1), 0);
	if (stat("/dev/full", &st) != 0) {
		print_message("skip: no /dev/full\n");
		return;
	}
	assert_int_equal(outfile_write_all("/dev/full", "x", 1), LSR_ERROR);
	assert_string_equal(lsr_error_last(), "cannot write '/dev/full': No space left on device");
	/* a write error seen before the commit is still reported */
	assert_int_equal(outfile_open(&o, "/dev/full"), 0);
	fwrite(big, 1, sizeof(big), outfile_fp(o));
	assert_int_equal(outfile_commit(o), LSR_ERROR);
	assert_int_equal(stat("/dev/full", &st), 0);
	assert_true(S_ISCHR(st.st_mode));
	/* a directory is refused */
	assert_int_equal(outfile_write_all(dir, "x", 1), LSR_ERROR);
	assert_non_null(strstr(lsr_error_last(), "Is a directory"));
}

static void test_util_outfile__fifo_in_place(void **state)
{
	char fifo[160], got[160];
	pid_t pid;
	int status;
	struct stat st;

	(void)state;
	snprintf(fifo, sizeof(fifo), "%s/pipe", dir);
	snprintf(got, sizeof(got), "%s/got", dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* the reader: copy the FIFO to got */
		FILE *in = fopen(fifo, "rb"), *out = fopen(got, "wb");
		int c;

		if (!in || !out)
			_exit(1);
		while ((c = fgetc(in)) != EOF)
			fputc(c, out);
		_exit(fclose(out) != 0);
	}
	assert_int_equal(outfile_write_all(fifo, "through\n", 8), 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_string_equal(contents(got), "through\n");
	assert_int_equal(lstat(fifo, &st), 0);
	assert_true(S_ISFIFO(st.st_mode));
	assert_string_equal(listing(), "got pipe");
}

/* figure names from analysis names: the same for 'lsr pool' and 'lsr
 * report' (issue 20, defect 13: report wrote forest-<script>an<_script>.svg) */
static void test_util_outfile__safe_name(void **state)
{
	char out[16];

	(void)state;
	outfile_safe_name(out, sizeof(out), "<script>an</script>");
	assert_string_equal(out, "_script_an__scr");
	outfile_safe_name(out, sizeof(out), "MELD 1y, a/b:c*?\"|");
	assert_string_equal(out, "MELD_1y__a_b_c_");
	outfile_safe_name(out, sizeof(out), "../etc.passwd");
	assert_string_equal(out, "_._etc.passwd");
	outfile_safe_name(out, sizeof(out), "caf\xc3\xa9-ok_1.2");
	assert_string_equal(out, "caf__-ok_1.2");
	outfile_safe_name(out, 1, "x");
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_util_outfile__new_file_by_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_util_outfile__replace_keeps_mode, setup, teardown),
		cmocka_unit_test_setup_teardown(test_util_outfile__abort_leaves_old, setup, teardown),
		cmocka_unit_test_setup_teardown(test_util_outfile__failed_write_leaves_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_util_outfile__symlink_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(test_util_outfile__devices_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_util_outfile__fifo_in_place, setup, teardown),
		cmocka_unit_test(test_util_outfile__safe_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
