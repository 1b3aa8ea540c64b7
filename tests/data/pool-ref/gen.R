# gen.R - the expected numbers of the reference cases in this folder, with
# metafor, in the schema of ../shared/reference/meta/README.md (one JSON per
# case, 15 significant digits).  Not needed by the build or the tests:
#   apt-get install r-base-core r-cran-metafor   (R 4.2.2, metafor 3.8-1)
#   cd tests/data/pool-ref && Rscript gen.R
# The data sets are small ones made up for the purpose (not from ../shared).
suppressMessages(library(metafor))
library(jsonlite)

num <- function(x) if (is.null(x) || length(x) == 0 || !is.finite(x)) NA else signif(x, 15)
z <- qnorm(0.975)

write_case <- function(id, title, dtype, csv, analyses, notes = character()) {
  root <- list(schema_version = 1, case_id = id, title = title, data_type = dtype,
               input_csv = paste0(id, ".csv"),
               generated_by = list(R = paste(R.version$major, R.version$minor, sep = "."),
                                   metafor = as.character(packageVersion("metafor")),
                                   script = "tests/data/pool-ref/gen.R",
                                   number_format = "15 significant digits"),
               notes = as.list(notes), analyses = analyses)
  writeLines(toJSON(root, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
             paste0(id, ".json"))
}

# One analysis of generic data (yi, vi): rma with method and test as metafor
# names them; ci_method is the test ("z", "t", "knha", "adhoc").
giv_analysis <- function(d, id, method, test, level = 95) {
  z <- qnorm(1 - (1 - level / 100) / 2)
  r <- rma(d$yi, d$vi, method = method, test = test, level = level,
           control = list(threshold = 1e-13, tol = 1e-13, maxiter = 10000))
  k <- r$k; w <- 1 / (d$vi + r$tau2)
  t_based <- test != "z"
  pooled <- list(estimate = num(r$beta[1]), se = num(r$se), ci_lb = num(r$ci.lb),
                 ci_ub = num(r$ci.ub))
  if (t_based) { pooled$t <- num(r$zval); pooled$df_t <- k - 1; pooled$crit <- num(qt(1 - (1 - level / 100) / 2, k - 1)) }
  else { pooled$z <- num(r$zval); pooled$crit <- num(z) }
  pooled$p <- num(r$pval)
  pr <- predict(r)
  pooled$pi_lb <- num(pr$pi.lb); pooled$pi_ub <- num(pr$pi.ub)
  if (!t_based && k >= 3) {
    sp <- sqrt(r$se^2 + r$tau2)
    pooled$pi_t_km2_lb <- num(r$beta[1] - qt(1 - (1 - level / 100) / 2, k - 2) * sp)
    pooled$pi_t_km2_ub <- num(r$beta[1] + qt(1 - (1 - level / 100) / 2, k - 2) * sp)
  }
  Q <- r$QE
  het <- list(k = k, Q = num(Q), df = k - 1, p_Q = num(r$QEp), I2 = num(r$I2), H2 = num(r$H2),
              tau2 = num(r$tau2), tau = num(sqrt(r$tau2)),
              I2_from_Q = num(max(0, (Q - (k - 1)) / Q) * 100))
  if (k >= 3) {
    ci <- confint(r, control = list(tau2.max = 1000 * max(1, r$tau2), tol = 1e-12 * max(1, r$tau2)))$random
    het$tau2_ci_qprofile <- c(num(ci[1, 2]), num(ci[1, 3]))
    het$tau_ci_qprofile <- c(num(ci[2, 2]), num(ci[2, 3]))
    het$I2_ci_qprofile <- c(num(ci[3, 2]), num(ci[3, 3]))
    het$H2_ci_qprofile <- c(num(ci[4, 2]), num(ci[4, 3]))
    if (method %in% c("REML", "ML")) {
      pl <- confint(r, type = "PL", control = list(tol = 1e-12 * max(1, r$tau2)))$random
      het$tau2_ci_pl <- c(num(pl[1, 2]), num(pl[1, 3]))
      het$tau_ci_pl <- c(num(pl[2, 2]), num(pl[2, 3]))
    }
  }
  studies <- lapply(seq_len(nrow(d)), function(i)
    list(study = d$study[i], included = TRUE, yi = num(d$yi[i]), vi = num(d$vi[i]),
         sei = num(sqrt(d$vi[i])), ci_lb = num(d$yi[i] - z * sqrt(d$vi[i])),
         ci_ub = num(d$yi[i] + z * sqrt(d$vi[i])), weight = num(w[i]),
         weight_pct = num(100 * w[i] / sum(w))))
  a <- list(id = id, convention = "both", measure = "GIV", scale = "identity", method = "IV",
            model = "random", tau2_method = method, ci_method = test, level = level / 100,
            metafor_call = sprintf('rma(yi, vi, method="%s", test="%s")', method, test))
  if (test %in% c("knha", "adhoc"))
    a$hk_q <- num(sum(w * (d$yi - r$beta[1])^2) / (k - 1))
  a$studies <- studies
  a$pooled <- pooled
  a$heterogeneity <- het
  a
}

giv_case <- function(id, title, d, specs, notes = character()) {
  write.csv(data.frame(study = d$study, yi = d$yi, vi = d$vi), paste0(id, ".csv"),
            row.names = FALSE, quote = FALSE)
  d <- read.csv(paste0(id, ".csv"))  # exactly as written
  analyses <- lapply(specs, function(s) giv_analysis(d, s[1], s[2], s[3],
                                                    if (length(s) > 3) as.numeric(s[4]) else 95))
  write_case(id, title, "generic", NULL, analyses, notes)
}

ci_specs <- list(c("GIV_IV_REML_adhoc", "REML", "adhoc"), c("GIV_IV_DL_adhoc", "DL", "adhoc"),
                 c("GIV_IV_PM_adhoc", "PM", "adhoc"), c("GIV_IV_REML_knha", "REML", "knha"),
                 c("GIV_IV_REML_t", "REML", "t"), c("GIV_IV_REML_z", "REML", "z"))

# homogeneous: q < 1, plain Hartung-Knapp is narrower than the Wald interval
giv_case("ci_homogeneous", "Seven homogeneous studies: Hartung-Knapp's q < 1, the ad hoc correction keeps the Wald SE",
         data.frame(study = paste("Study", 1:7),
                    yi = c(0.212, 0.305, 0.188, 0.251, 0.274, 0.233, 0.296),
                    vi = c(0.0231, 0.0412, 0.0187, 0.0296, 0.0524, 0.0158, 0.0349)),
         ci_specs)
# heterogeneous: q > 1, the ad hoc correction equals plain Hartung-Knapp
giv_case("ci_heterogeneous", "Eight heterogeneous studies: q > 1, ad hoc and plain Hartung-Knapp agree",
         data.frame(study = paste("Trial", LETTERS[1:8]),
                    yi = c(-0.412, 0.105, -0.733, 0.268, -0.051, -0.589, 0.322, -0.207),
                    vi = c(0.0312, 0.0541, 0.0288, 0.0805, 0.0196, 0.0437, 0.0662, 0.0251)),
         ci_specs)
# REML with variances seven orders of magnitude apart (issue 14: Fisher
# scoring to 1e-14 never stopped)
giv_case("reml_variance_range", "Two studies with variances 1e-7 and 0.34: REML and PM must converge",
         data.frame(study = c("Precise", "Imprecise"), yi = c(0, 0.59), vi = c(1e-7, 0.34)),
         list(c("GIV_IV_REML_z", "REML", "z"), c("GIV_IV_PM_z", "PM", "z"),
              c("GIV_IV_REML_adhoc", "REML", "adhoc")))
# the other tau2 estimators of metafor's rma.uni, on both data sets
tau2_specs <- lapply(c("ML", "HS", "HE", "SJ", "EB"), function(m) c(paste0("GIV_IV_", m, "_z"), m, "z"))
giv_case("tau2_heterogeneous", "Eight heterogeneous studies: ML, HS, HE, SJ and EB",
         read.csv("ci_heterogeneous.csv"), tau2_specs)
giv_case("tau2_homogeneous", "Seven homogeneous studies: ML, HS, HE, SJ and EB (truncated at 0 where they are)",
         read.csv("ci_homogeneous.csv"), tau2_specs)
# a confidence level other than 95% (--level): every interval, the
# prediction intervals and the Q-profile bounds follow it
giv_case("level_90_99", "Eight heterogeneous studies at 90% and 99%",
         read.csv("ci_heterogeneous.csv"),
         list(c("GIV_IV_REML_adhoc_90", "REML", "adhoc", "90"), c("GIV_IV_DL_z_90", "DL", "z", "90"),
              c("GIV_IV_REML_z_99", "REML", "z", "99"), c("GIV_IV_PM_knha_99", "PM", "knha", "99")))
# Begg and Mazumdar's rank correlation test (ranktest: exact p without
# ties, the normal approximation with them)
begg_case <- function(id, title, d) {
  write.csv(d, paste0(id, ".csv"), row.names = FALSE, quote = FALSE)
  d <- read.csv(paste0(id, ".csv"))
  r <- ranktest(d$yi, d$vi)
  ties <- length(unique(d$vi)) < nrow(d)
  wi <- 1 / d$vi
  ys <- (d$yi - weighted.mean(d$yi, wi)) / sqrt(d$vi - 1 / sum(wi))
  ties <- ties || length(unique(ys)) < nrow(d)
  z <- if (ties) cor.test(ys, d$vi, method = "kendall", exact = TRUE)$statistic else NA
  root <- list(schema_version = 1, case_id = id, title = title, data_type = "generic",
               input_csv = paste0(id, ".csv"),
               generated_by = list(script = "tests/data/pool-ref/gen.R",
                                   metafor = as.character(packageVersion("metafor"))),
               analyses = list(),
               begg = list(k = nrow(d), tau = num(r$tau), z = num(z), p = num(r$pval),
                           p_method = if (ties) "normal" else "exact"))
  writeLines(toJSON(root, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
             paste0(id, ".json"))
}
set.seed(14)
begg_case("begg_exact_k60", "60 studies without ties: the exact p of Kendall's tau",
          data.frame(study = sprintf("S%02d", 1:60), yi = round(rnorm(60, 0.2, 0.3), 4),
                     vi = round(runif(60, 0.01, 0.2), 5)))
begg_case("begg_ties", "12 studies with tied variances: the normal approximation",
          data.frame(study = sprintf("T%02d", 1:12),
                     yi = c(0.31, 0.12, 0.45, -0.08, 0.22, 0.51, 0.05, 0.38, 0.19, 0.27, 0.61, 0.02),
                     vi = c(0.04, 0.09, 0.04, 0.16, 0.09, 0.04, 0.25, 0.06, 0.09, 0.04, 0.02, 0.25)))
# a case of generic data with one extra (trimfill, cumulative) and no analyses
write_extra <- function(id, title, key, value) {
  root <- list(schema_version = 1, case_id = id, title = title, data_type = "generic",
               input_csv = paste0(id, ".csv"),
               generated_by = list(script = "tests/data/pool-ref/gen.R",
                                   metafor = as.character(packageVersion("metafor"))),
               analyses = list())
  root[[key]] <- value
  writeLines(toJSON(root, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE),
             paste0(id, ".json"))
}

# trim-and-fill with a given side and with the R0 estimator (trimfill(side =,
# estimator =)); keys <model>_<estimator>[_<side>]
tf_json <- function(tf, fit) {
  k <- fit$k; kf <- tf$k0
  pooled <- list(estimate = num(tf$beta[1]), se = num(tf$se), ci_lb = num(tf$ci.lb),
                 ci_ub = num(tf$ci.ub), z = num(tf$zval), p = num(tf$pval))
  filled <- if (kf > 0) lapply(seq_len(kf), function(i)
    list(yi = num(tf$yi[k + i]), vi = num(tf$vi[k + i]))) else list()
  list(side = tf$side, estimator = tf$k0.est, k0 = kf, se_k0 = num(tf$se.k0), k_original = k,
       k_filled_total = k + kf,
       original = list(estimate = num(fit$beta[1]), se = num(fit$se), ci_lb = num(fit$ci.lb),
                       ci_ub = num(fit$ci.ub)),
       filled_studies = filled, pooled = pooled,
       heterogeneity = list(Q = num(tf$QE), df = tf$k - 1, p_Q = num(tf$QEp),
                            tau2 = num(tf$tau2), I2 = num(tf$I2)))
}
tf_d <- data.frame(study = sprintf("P%02d", 1:10),
                   yi = c(0.08, 0.12, 0.15, 0.31, 0.22, 0.45, 0.38, 0.62, 0.55, 0.81),
                   vi = c(0.004, 0.006, 0.009, 0.015, 0.012, 0.03, 0.025, 0.06, 0.05, 0.09))
write.csv(tf_d, "trimfill_side_r0.csv", row.names = FALSE, quote = FALSE)
tf_d <- read.csv("trimfill_side_r0.csv")
tfs <- list()
for (m in c("FE", "DL")) {
  fit <- rma(tf_d$yi, tf_d$vi, method = m)
  tfs[[paste0(m, "_R0")]] <- tf_json(trimfill(fit, estimator = "R0"), fit)
  tfs[[paste0(m, "_L0_right")]] <- tf_json(trimfill(fit, side = "right"), fit)
  tfs[[paste0(m, "_R0_left")]] <- tf_json(trimfill(fit, side = "left", estimator = "R0"), fit)
}
write_extra("trimfill_side_r0", "Ten studies with small-study effects: trim-and-fill R0 and a given side",
            "trimfill", tfs)
# cumulative meta-analysis (cumul(), order = a column): rows added one at a
# time.  Where lsr says "not applicable" metafor gives numbers: a single
# study's Q test p (1), I2 (0), H2 (1) and tau2 (0), and a fixed-effect
# model's tau2 (0) are null here, as in the leave-one-out rows.
cum_d <- read.csv("trimfill_side_r0.csv")
cum_d$year <- c(2011, 2004, 2019, 2008, 2015, 2001, 2013, 2009, 2022, 2017)
write.csv(cum_d, "cumulative_year.csv", row.names = FALSE, quote = FALSE)
cum_d <- read.csv("cumulative_year.csv")
cums <- list()
for (m in c("FE", "DL", "REML")) {
  fit <- rma(yi, vi, data = cum_d, method = m, slab = study,
             control = list(threshold = 1e-13, tol = 1e-13, maxiter = 10000))
  x <- cumul(fit, order = cum_d$year)
  rows <- lapply(seq_along(x$estimate), function(i) {
    one <- i == 1
    list(added = x$slab[i], k = i, estimate = num(x$estimate[i]), se = num(x$se[i]),
         z = num(x$zval[i]), p = num(x$pvals[i]), ci_lb = num(x$ci.lb[i]), ci_ub = num(x$ci.ub[i]),
         Q = num(x$Q[i]), p_Q = if (one) NA else num(x$Qp[i]),
         tau2 = if (one || m == "FE") NA else num(x$tau2[i]),
         I2 = if (one) NA else num(x$I2[i]), H2 = if (one) NA else num(x$H2[i]))
  })
  cums[[m]] <- list(order_by = "year", rows = rows)
}
write_extra("cumulative_year", "Ten studies added by year: cumulative meta-analysis, FE, DL and REML",
            "cumulative", cums)
# influence diagnostics (influence(), Wald tests); a fixed-effect model's
# tau2.del (0 in metafor) is null here
inf_d <- read.csv("ci_heterogeneous.csv")
write.csv(inf_d, "influence_trials.csv", row.names = FALSE, quote = FALSE)
infs <- list()
for (m in c("FE", "DL", "REML")) {
  fit <- rma(yi, vi, data = inf_d, method = m, slab = study,
             control = list(threshold = 1e-13, tol = 1e-13, maxiter = 10000))
  x <- influence(fit)$inf
  infs[[m]] <- list(rows = lapply(seq_along(x$rstudent), function(i)
    list(study = x$slab[i], rstudent = num(x$rstudent[i]), dffits = num(x$dffits[i]),
         cook_d = num(x$cook.d[i]), cov_r = num(x$cov.r[i]),
         tau2_del = if (m == "FE") NA else num(x$tau2.del[i]), QE_del = num(x$QE.del[i]),
         hat = num(x$hat[i]), weight = num(x$weight[i]),
         dfbs = num(influence(fit)$dfbs$intrcpt[i]), influential = x$inf[i] == "*")))
}
write_extra("influence_trials", "Eight heterogeneous trials: influence diagnostics, FE, DL and REML",
            "influence", infs)
# meta-regression on continuous moderators (rma(mods = ~ year + dose)):
# FE, DL, REML with Wald tests and REML with the ad hoc Hartung-Knapp
mr_d <- data.frame(study = sprintf("M%02d", 1:12),
                   yi = c(0.72, 0.18, 0.35, 0.25, 0.01, 0.97, -0.22, 0.54, 0.43, 0.19, 0.88, 0.26),
                   vi = c(0.031, 0.052, 0.044, 0.027, 0.036, 0.061, 0.022, 0.048, 0.033, 0.041, 0.072, 0.025),
                   year = c(2004, 2011, 2002, 2018, 2009, 2001, 2016, 2006, 2013, 2007, 2003, 2020),
                   dose = c(2.5, 1.0, 4.0, 0.5, 2.0, 5.0, 1.0, 3.5, 1.5, 3.0, 6.0, 0.5))
write.csv(mr_d, "metareg_year_dose.csv", row.names = FALSE, quote = FALSE)
mr_d <- read.csv("metareg_year_dose.csv")
metareg_fits <- function(mr_d, mods, specs) {
mrs <- list()
for (s in specs) {
  fit <- rma(yi, vi, mods = as.formula(paste("~", paste(mods, collapse = " + "))), data = mr_d,
             method = s[1], test = s[2],
             control = list(threshold = 1e-13, tol = 1e-13, maxiter = 10000))
  t_based <- s[2] != "z"
  coefs <- lapply(seq_along(fit$beta), function(j) {
    o <- list(name = rownames(fit$beta)[j], estimate = num(fit$beta[j]), se = num(fit$se[j]))
    if (t_based) { o$t <- num(fit$zval[j]); o$df_t <- fit$k - fit$p } else o$z <- num(fit$zval[j])
    c(o, list(p = num(fit$pval[j]), ci_lb = num(fit$ci.lb[j]), ci_ub = num(fit$ci.ub[j])))
  })
  o <- list(ci = s[2], columns = mods, k = fit$k, QM = num(fit$QM), QM_df = fit$p - 1)
  if (t_based) o$QM_df2 <- fit$k - fit$p
  mrs[[paste0(s[1], if (t_based) paste0("_", s[2]) else "")]] <- c(o, list(
    QM_p = num(fit$QMp), QE_residual = num(fit$QE), QE_df = fit$k - fit$p, QE_p = num(fit$QEp),
    tau2_residual = num(fit$tau2), I2_residual = num(fit$I2),
    R2 = if (s[1] == "FE") NA else num(fit$R2), coefficients = coefs))
}
mrs
}
write_extra("metareg_year_dose", "Twelve studies: meta-regression on year and dose", "metareg",
            metareg_fits(mr_d, c("year", "dose"),
                         list(c("FE", "z"), c("DL", "z"), c("REML", "z"), c("REML", "adhoc"))))
# a text column is a factor: dummies for all but the first level
mr_d$route <- c("iv", "oral", "ia", "iv", "oral", "ia", "oral", "iv", "ia", "oral", "iv", "ia")
write.csv(mr_d, "metareg_route.csv", row.names = FALSE, quote = FALSE)
mr_d <- read.csv("metareg_route.csv")
write_extra("metareg_route", "Twelve studies: meta-regression on year and route (a factor)", "metareg",
            metareg_fits(mr_d, c("year", "route"), list(c("REML", "z"), c("DL", "knha"))))
# a missing moderator (empty cell) leaves its study out of the
# meta-regression, metafor's default na.action = "na.omit"
mr_d$dose[3] <- NA
mr_d$route[8] <- NA
write.csv(mr_d, "metareg_missing.csv", row.names = FALSE, quote = FALSE, na = "")
mr_d <- read.csv("metareg_missing.csv", na.strings = "")
write_extra("metareg_missing", "Twelve studies, two without a moderator value: left out of the meta-regression", "metareg",
            suppressWarnings(metareg_fits(mr_d, c("dose", "route"), list(c("REML", "z"), c("DL", "adhoc")))))
# influence diagnostics of a model with Hartung-Knapp tests (test = "knha",
# "adhoc"): metafor scales the deleted fits' variances by their s2w (q, or
# max(1, q)); homogeneous data, so that q < 1 and the two differ
infh_d <- read.csv("ci_homogeneous.csv")
write.csv(infh_d, "influence_hk.csv", row.names = FALSE, quote = FALSE)
infhs <- list()
for (s in list(c("REML", "knha"), c("REML", "adhoc"), c("DL", "adhoc"))) {
  fit <- rma(yi, vi, data = infh_d, method = s[1], test = s[2], slab = study,
             control = list(threshold = 1e-13, tol = 1e-13, maxiter = 10000))
  inf <- influence(fit)
  x <- inf$inf
  infhs[[paste0(s[1], "_", s[2])]] <- list(rows = lapply(seq_along(x$rstudent), function(i)
    list(study = x$slab[i], rstudent = num(x$rstudent[i]), dffits = num(x$dffits[i]),
         cook_d = num(x$cook.d[i]), cov_r = num(x$cov.r[i]), tau2_del = num(x$tau2.del[i]),
         QE_del = num(x$QE.del[i]), hat = num(x$hat[i]), weight = num(x$weight[i]),
         dfbs = num(inf$dfbs$intrcpt[i]), influential = x$inf[i] == "*")))
}
write_extra("influence_hk", "Homogeneous trials: influence diagnostics under Hartung-Knapp, plain and ad hoc",
            "influence", infhs)
