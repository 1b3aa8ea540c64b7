/*
 * peakrss.c - run a command and report its wall time and peak resident
 * memory (wait4's ru_maxrss), since GNU time is not always installed.
 *
 *     bench_peakrss [-o FILE] -- COMMAND [ARGS...]
 *
 * Prints (to FILE, else stderr) one line
 *     wall_s=12.345 user_s=11.0 sys_s=1.2 maxrss_kb=45678 status=0
 * and exits with the command's status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *report = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	int i = 1, status = 0;
	FILE *f = stderr;
	pid_t pid;

	if (i + 1 < argc && !strcmp(argv[i], "-o")) {
		report = argv[i + 1];
		i += 2;
	}
	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: bench_peakrss [-o FILE] -- COMMAND [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "bench_peakrss: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "bench_peakrss: cannot run '%s': %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		fprintf(stderr, "bench_peakrss: wait4: %s\n", strerror(errno));
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (report && !(f = fopen(report, "w"))) {
		fprintf(stderr, "bench_peakrss: cannot write '%s': %s\n", report, strerror(errno));
		return 1;
	}
	fprintf(f, "wall_s=%.3f user_s=%.3f sys_s=%.3f maxrss_kb=%ld status=%d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		seconds(&ru.ru_utime), seconds(&ru.ru_stime), ru.ru_maxrss,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (f != stderr)
		fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
