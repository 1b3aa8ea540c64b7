#!/bin/sh
# lsr's own metafor reference cases (tests/data/pool-ref, made by its gen.R)
# through the same comparator and tolerances as ../shared/reference/meta:
# the Hartung-Knapp variants (ad hoc, plain, t, z) on homogeneous and
# heterogeneous data, REML/PM with variances 1e-7 and 0.34, and the tau2
# estimators ML, HS, HE, SJ and EB, --level 90 and 99, Begg's test, and
# trim-and-fill with R0 and a given side, cumulative meta-analysis by year,
# influence diagnostics, meta-regression on continuous and categorical
# moderators, with studies left out for a missing moderator value.
. "$(dirname "$0")/lib.sh"

run 0 env LSR_META_REF="$LSR_SRC/tests/data/pool-ref" "$LSR_BUILD/tests/unit_pool_test_reference"
has "$OUT" "[==========] 54 test(s) run."
hasnt "$OUT" "FAILED"
# each case is there
has "$OUT" "test_pool_reference__ci_homogeneous__GIV_IV_REML_adhoc"
has "$OUT" "test_pool_reference__ci_heterogeneous__GIV_IV_REML_knha"
has "$OUT" "test_pool_reference__reml_variance_range__GIV_IV_REML_z"
has "$OUT" "test_pool_reference__tau2_heterogeneous__GIV_IV_SJ_z"
has "$OUT" "test_pool_reference__tau2_homogeneous__GIV_IV_EB_z"
has "$OUT" "test_pool_reference__level_90_99__GIV_IV_PM_knha_99"
has "$OUT" "test_pool_reference__begg_exact_k60__begg"
has "$OUT" "test_pool_reference__begg_ties__begg"
has "$OUT" "test_pool_reference__trimfill_side_r0__trimfill_DL_R0_left"
has "$OUT" "test_pool_reference__cumulative_year__cumulative_REML"
has "$OUT" "test_pool_reference__influence_trials__influence_DL"
has "$OUT" "test_pool_reference__influence_hk__influence_REML_knha"
has "$OUT" "test_pool_reference__influence_hk__influence_DL_adhoc"
has "$OUT" "test_pool_reference__metareg_year_dose__metareg_REML_adhoc"
has "$OUT" "test_pool_reference__metareg_route__metareg_DL_knha"
has "$OUT" "test_pool_reference__metareg_missing__metareg_DL_adhoc"
has "$OUT" "test_pool_reference__metareg_missing__metareg_REML"
finish
