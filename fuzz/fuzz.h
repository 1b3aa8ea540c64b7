/*
 * fuzz.h - what lsr's fuzz targets share (see HACKING.md, "Fuzzing").
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput, libFuzzer's entry point.
 * With -DLSR_FUZZ=ON and clang, fuzz/CMakeLists.txt links each with
 * -fsanitize=fuzzer into a fuzzer (fuzz-TARGET); every build (gcc and
 * ASan in the test build) also links each with replay.c's main into
 * fuzz-replay-TARGET, which ctest runs over fuzz/corpus/TARGET and
 * fuzz/regress/TARGET (the "fuzz-regress" tests).  The same entry point,
 * the same files: an input that once broke a parser keeps being read.
 *
 * A target must not leak, must leave no state behind that changes the
 * next input's result, and must treat every error return as a normal
 * outcome: only a sanitizer report, a crash, a BUG() or a hang is a
 * finding.
 */
#ifndef LSR_FUZZ_H
#define LSR_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct lsr_db;
struct protocol;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * data written to NAME in this process's temporary folder (removed at
 * exit); returns its path (static storage, valid until the next call with
 * the same name), NULL when it cannot be written.
 */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);

/*
 * The review the sheet readers import into, made once per process: the
 * protocol below (two extractors, RoB 2 and three outcomes), three
 * studies, five records imported from RIS, deduplicated into citations,
 * and batch 1 of those citations assigned to reviewer "fuzz".  A target
 * imports inside an outer transaction it then rolls back, so every input
 * meets the same database.  Aborts when the review cannot be made.
 */
struct fuzz_review {
	struct lsr_db *db;
	struct protocol *p;
};
struct fuzz_review *fuzz_review(void);

/* Run fn on the review inside a transaction that is rolled back; with
 * LSR_FUZZ_VERBOSE set, print the message when fn fails. */
void fuzz_in_rollback(int (*fn)(struct fuzz_review *r, const char *path, void *arg),
		      const char *path, void *arg);

#endif
