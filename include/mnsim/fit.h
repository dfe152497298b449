/* mnsim: fitting healing parameters to published or a researcher's own
 * measurements (floor: therapy).
 *
 * The measurements are cases of mnsim/validation.h (model heal, each with a
 * published value and its sd; cases with only a range or a direction are
 * evaluated at the fit but do not enter it). The chosen parameters of the
 * population's median person are fitted by weighted nonlinear least
 * squares (GSL's trust-region Levenberg-Marquardt, in log-parameter space
 * so that they stay positive):
 *
 *   minimise  sum_i ((mnsim_i(p) - value_i) / sigma_i)^2,
 *   sigma_i = the case's sd, or its tolerance where no sd is given.
 *
 * The result gives each parameter with its 95% confidence interval (from
 * the covariance of the fit, not scaled by the residuals: the sigmas are
 * taken as the measurements' own), chi-square with its degrees of freedom
 * and p-value, the residual of every case, the sensitivity of every case to
 * every parameter and the parameters' correlations. A parameter whose
 * interval spans more than a factor of 10 is flagged as not identified by
 * these data.
 *
 * GSL's error handler (one per process) is set to off once, on the first
 * fit (mn_gsl_errors_off, mnsim/error.h); the fit checks GSL's status
 * codes and never swaps the handler while it runs.
 *
 * Thread safety: reentrant on distinct results; the cases and the environment are
 * only read (the fit varies its own copy of the parameters). */
#ifndef MNSIM_FIT_H
#define MNSIM_FIT_H

#include <stddef.h>

#include "mnsim/error.h"
#include "mnsim/healing.h"
#include "mnsim/progress.h"
#include "mnsim/validation.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const int *params; /* mn_heal_param_id to fit */
    size_t n_params;
    int max_iterations; /* default 100 */
} mn_fit_options;

typedef struct {
    size_t n_params, n_cases;    /* n_cases: all heal cases given */
    int *params;                 /* n_params ids */
    double *start;               /* values before the fit (model units) */
    double *value, *lo95, *hi95; /* fitted values and 95% intervals */
    int *identified;             /* 0: interval wider than a factor of 10 */
    double *correlation;         /* n_params x n_params */
    size_t n_used;               /* cases in the fit (with a value) */
    int *used;                   /* per case: 1 if in the fit */
    double *mnsim;               /* per case: mnsim's value at the fit */
    double *residual;    /* per case: (mnsim - value) / sigma (NaN if not used) */
    double *sensitivity; /* n_cases x n_params: change of the case's
                            quantity when the parameter rises by 10% */
    double chi2;         /* at the fit */
    double chi2_start;   /* before it */
    long dof;            /* n_used - n_params */
    double p_value;      /* P(chi2_dof >= chi2); NaN when dof <= 0 */
    size_t iterations;
    int converged;
} mn_fit_result;

/* Fit o->params of env->healing's median to the heal cases of cases
 * (others are ignored). fitted receives the population with the fitted
 * medians (cvs unchanged). progress (may be NULL) hears "fit" after each
 * iteration. Errors: MN_EINVAL (no parameter, fewer cases with a value than
 * parameters, a case that cannot be run: message names it), MN_ENUMERIC
 * (the model failed at a trial point), MN_ENOMEM, MN_ECANCEL. Free out
 * with mn_fit_result_free, also after an error. Not reentrant with itself
 * on the same env (it only reads env). */
mn_status mn_fit_healing(const mn_validation_env *env, const mn_vcase_list *cases,
                         const mn_fit_options *o, const mn_progress *progress,
                         mn_heal_population *fitted, mn_fit_result *out, mn_error *err);

/* Free what a fit result owns (not r itself). */
void mn_fit_result_free(mn_fit_result *r);

#ifdef __cplusplus
}
#endif
#endif
