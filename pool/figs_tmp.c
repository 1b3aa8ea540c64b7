#include "pool_int.h"
#include "../util/err.h"
int pool_forest_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po) { (void)out; (void)r; (void)po; return lsr_error_set(LSR_ERROR, "todo"); }
int pool_funnel_svg(struct buf *out, const struct pool_result *r, const struct pool_plot_opts *po) { (void)out; (void)r; (void)po; return lsr_error_set(LSR_ERROR, "todo"); }
