#!/bin/sh
# lsr extract convert: the mean/SD calculator, outside any review.  The
# numbers are the worked examples of tests/unit/extract/test_convert.c.
. "$(dirname "$0")/lib.sh"

cd "$TMP"
# SE to SD (Cochrane Handbook 6.5.2.2): 2.385 x sqrt(49)
run 0 lsr extract convert --n 49 --se 2.385 --mean 10
same "$OUT" "n 49
mean 10
sd 16.695
method se"

# 95% CI with t(24) below 60 per group (Handbook's n = 25 example)
run 0 lsr extract convert --n 25 --ci-low 10 --ci-high 14.128 --json
jqcheck "$OUT" '{schema_version, mean, method}' '{"schema_version":1,"mean":12.064,"method":"ci-t"}'
jqcheck "$OUT" '.sd == 5.0002457445677342'
# ... and the normal quantile from 60 on: sqrt(60) x 2 / 3.919928 = 3.952096;
# n = 59: sqrt(59) x 2 / (2 x 2.001717) = 3.837278
run 0 lsr extract convert --n 60 --ci-low 1 --ci-high 3
has "$OUT" "sd 3.952096"
has "$OUT" "method ci-normal"
run 0 lsr extract convert --n 59 --ci-low 1 --ci-high 3
has "$OUT" "sd 3.837278"
has "$OUT" "method ci-t"

# median and range (Luo 2018 mean, Wan 2014 SD): metaBLUE's example
run 0 lsr extract convert --n 30 --median 4 --min 1 --max 10 --json
jqcheck "$OUT" '(.mean - 4.3567476700836 | fabs) < 1e-13'
jqcheck "$OUT" '(.sd - 2.205578197209 | fabs) < 1e-12'
jqcheck "$OUT" .method luo2018-range+wan2014-range
# median and IQR
run 0 lsr extract convert --n 41 --median 23.5 --q1 18.2 --q3 31.9
same "$OUT" "n 41
mean 24.59974
sd 10.5249
method luo2018-iqr+wan2014-iqr"
# five numbers: Shi 2020 by default, Wan 2014 on request
run 0 lsr extract convert --n 41 --median 23.5 --q1 18.2 --q3 31.9 --min 9.6 --max 52.3
has "$OUT" "sd 10.11969"
has "$OUT" "method luo2018-five+shi2020"
run 0 lsr extract convert --n 41 --median 23.5 --q1 18.2 --q3 31.9 --min 9.6 --max 52.3 --sd-method wan
has "$OUT" "sd 10.19065"
has "$OUT" "method luo2018-five+wan2014-five"
# two arms into one (Cochrane Handbook Table 6.5.a)
run 0 lsr extract convert --group 18,10.1,2.3 --group 19,11.3,2.9
same "$OUT" "n 37
mean 10.71622
sd 2.659471
method cochrane-combine"

# rejections: usage (2), and numbers that cannot be (3)
run 2 lsr extract convert --se 1
same "$ERR" "lsr extract: error: convert needs --n N (the group size)
see 'lsr extract -h'"
run 2 lsr extract convert --n 10
has "$ERR" "lsr extract: error: convert needs --se, --ci-low/--ci-high, or --median with --q1/--q3 and/or --min/--max"
run 2 lsr extract convert --n 10 --se 1 --median 3 --q1 1 --q3 4
has "$ERR" "lsr extract: error: give one of --se, a CI, or a median, not several"
run 2 lsr extract convert --n ten --se 1
has "$ERR" "lsr extract: error: option '--n' expects a number, not 'ten'"
run 2 lsr extract convert --group 18,10.1
has "$ERR" "lsr extract: error: --group expects N,MEAN,SD, not '18,10.1'"
run 2 lsr extract convert --group 18,10.1,2.3
has "$ERR" "lsr extract: error: combining groups needs at least two --group"
run 2 lsr extract convert --n 10 --median 3 --sd-method mean
has "$ERR" "lsr extract: error: --sd-method expects shi or wan, not 'mean'"
run 3 lsr extract convert --n 10 --se 0 --mean 1
same "$ERR" "lsr extract: error: the SE must be > 0, got 0"
run 3 lsr extract convert --n 10 --ci-low 5 --ci-high 4
same "$ERR" "lsr extract: error: the CI's upper limit (4) must be above its lower limit (5)"
run 3 lsr extract convert --n 10 --median 3 --q1 4 --q3 6
same "$ERR" "lsr extract: error: median (3) must not be below q1 (4)"
run 3 lsr extract convert --n 10 --median 3 --q1 2
same "$ERR" "lsr extract: error: a median needs both q1 and q3, not only q1"
run 3 lsr extract convert --n 10.5 --se 1 --mean 2
same "$ERR" "lsr extract: error: an SE needs a whole group size n >= 1, got 10.5"
run 3 lsr extract convert --n 1 --median 3 --min 1 --max 4
same "$ERR" "lsr extract: error: a range needs a whole group size n >= 2, got 1"
run 3 lsr extract convert --group 0,1,1 --group 3,2,1
same "$ERR" "lsr extract: error: first arm: n must be a whole number >= 1, got 0"

# the other subcommands need a review
run 1 lsr extract compare
has "$ERR" "lsr extract: error: not in an lsr review"
run 2 lsr extract frobnicate
has "$ERR" "lsr extract: error: unknown extract subcommand 'frobnicate' (expected sheet, import, compare, resolve, export or convert)"
run 0 lsr extract -h
has "$OUT" "usage: lsr extract sheet (--characteristics | --outcomes)"
finish
