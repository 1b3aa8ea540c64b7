/*
 * replay.c - main() for the fuzz-replay-TARGET programs: every file in
 * the folders (or the files) named on the command line, in name order,
 * through the target's LLVMFuzzerTestOneInput, as libFuzzer would pass
 * it.  A sanitizer report, crash or BUG() fails; an input the target
 * rejects is a normal outcome.  Prints the number of inputs read.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, k;

	if (!f) {
		fprintf(stderr, "fuzz-replay: cannot open '%s': %s\n", path, strerror(errno));
		return -1;
	}
	do {
		if (len == cap) {
			unsigned char *p = realloc(data, cap ? cap * 2 : 4096);

			if (!p) {
				free(data);
				fclose(f);
				fprintf(stderr, "fuzz-replay: out of memory\n");
				return -1;
			}
			data = p;
			cap = cap ? cap * 2 : 4096;
		}
		k = fread(data + len, 1, cap - len, f);
		len += k;
	} while (k > 0);
	if (ferror(f)) {
		fprintf(stderr, "fuzz-replay: cannot read '%s'\n", path);
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* libFuzzer hands over exactly len bytes: a copy of that size lets
	 * ASan see a read past the end */
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact) {
			free(data);
			return -1;
		}
		memcpy(exact, data, len);
		free(data);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of dir, sorted; returns the count or -1. */
static long run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	long done = 0;

	if (!d)
		return errno == ENOENT ? 0 : -1; /* no regress inputs yet */
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **p = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));

			if (!p)
				break;
			names = p;
		}
		if (!(names[n] = strdup(e->d_name)))
			break;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) < 0)
				done = -1;
			else if (done >= 0)
				done++;
		}
		free(names[i]);
	}
	free(names);
	return done;
}

int main(int argc, char **argv)
{
	long total = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		long n;

		if (stat(argv[i], &st) == 0 && S_ISREG(st.st_mode))
			n = run_file(argv[i]) < 0 ? -1 : 1;
		else
			n = run_dir(argv[i]);
		if (n < 0) {
			fprintf(stderr, "fuzz-replay: cannot read '%s'\n", argv[i]);
			return 1;
		}
		total += n;
	}
	printf("%s: %ld inputs replayed\n", argv[0], total);
	if (total == 0) {
		fprintf(stderr, "fuzz-replay: no inputs (an empty corpus tests nothing)\n");
		return 1;
	}
	return 0;
}
