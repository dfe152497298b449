/* Fitting healing parameters to measurements (mnsim/fit.h): weighted
 * nonlinear least squares over the heal cases, in log-parameter space. */
#include "mnsim/fit.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit_nlinear.h>

/* What the residual function needs. */
typedef struct {
    const mn_validation_env *env;
    const mn_vcase_list *cases;
    const size_t *rows; /* case index of each residual */
    size_t n_rows;
    const mn_fit_options *o;
    mn_heal_population pop; /* the trial population */
    mn_status st;
    char message[MN_ERROR_MSG_MAX + 512]; /* a case's mn_vresult message, whole */
} fit_ctx;

static double sigma_of(const mn_vcase *c)
{
    return isfinite(c->sd) && c->sd > 0 ? c->sd : c->tolerance;
}

/* mnsim's value of case c with the population's medians in pop. */
static mn_status model_value(fit_ctx *f, const mn_vcase *c, double *y)
{
    mn_validation_env env = *f->env;
    env.healing = &f->pop;
    env.n_people = 0; /* the median person only */
    mn_vresult r;
    if (mn_vcase_evaluate(&env, c, &r, NULL) != MN_OK)
        return MN_ENOMEM;
    if (r.status != MN_OK) {
        snprintf(f->message, sizeof f->message, "case %s: %s", c->name, r.message);
        return r.status;
    }
    *y = r.value;
    return MN_OK;
}

static void set_params(fit_ctx *f, const gsl_vector *x)
{
    f->pop = *f->env->healing;
    for (size_t j = 0; j < f->o->n_params; j++)
        f->pop.median.value[f->o->params[j]] = exp(gsl_vector_get(x, j));
}

static int residuals(const gsl_vector *x, void *user, gsl_vector *out)
{
    fit_ctx *f = user;
    set_params(f, x);
    for (size_t i = 0; i < f->n_rows; i++) {
        const mn_vcase *c = &f->cases->items[f->rows[i]];
        double y;
        mn_status st = model_value(f, c, &y);
        if (st != MN_OK || !isfinite(y)) {
            /* A trial point where the model fails: a large residual steers
             * the trust region back; the failure is kept for the end. */
            if (f->st == MN_OK)
                f->st = st != MN_OK ? st : MN_ENUMERIC;
            y = c->value + 1e6 * sigma_of(c);
        }
        gsl_vector_set(out, i, (y - c->value) / sigma_of(c));
    }
    return GSL_SUCCESS;
}

static mn_status alloc_result(mn_fit_result *r, size_t np, size_t nc)
{
    memset(r, 0, sizeof *r);
    r->n_params = np;
    r->n_cases = nc;
    r->params = calloc(np, sizeof *r->params);
    r->start = calloc(np, sizeof(double));
    r->value = calloc(np, sizeof(double));
    r->lo95 = calloc(np, sizeof(double));
    r->hi95 = calloc(np, sizeof(double));
    r->identified = calloc(np, sizeof(int));
    r->correlation = calloc(np * np, sizeof(double));
    r->used = calloc(nc ? nc : 1, sizeof(int));
    r->mnsim = calloc(nc ? nc : 1, sizeof(double));
    r->residual = calloc(nc ? nc : 1, sizeof(double));
    r->sensitivity = calloc((nc ? nc : 1) * np, sizeof(double));
    return r->params && r->start && r->value && r->lo95 && r->hi95 && r->identified &&
                   r->correlation && r->used && r->mnsim && r->residual &&
                   r->sensitivity
               ? MN_OK
               : MN_ENOMEM;
}

void mn_fit_result_free(mn_fit_result *r)
{
    if (!r)
        return;
    free(r->params), free(r->start), free(r->value), free(r->lo95), free(r->hi95);
    free(r->identified), free(r->correlation), free(r->used), free(r->mnsim);
    free(r->residual), free(r->sensitivity);
    memset(r, 0, sizeof *r);
}

/* Intervals, correlations and identifiability from the covariance of the
 * fit in log space. */
static void intervals(const gsl_matrix *J, const gsl_vector *x, mn_fit_result *r)
{
    size_t np = r->n_params;
    gsl_matrix *cov = gsl_matrix_alloc(np, np);
    if (!cov)
        return;
    if (gsl_multifit_nlinear_covar(J, 0.0, cov) != GSL_SUCCESS)
        gsl_matrix_set_all(cov, NAN); /* no intervals: not identified */
    for (size_t j = 0; j < np; j++) {
        double lx = gsl_vector_get(x, j), s = sqrt(gsl_matrix_get(cov, j, j));
        r->value[j] = exp(lx);
        r->lo95[j] = exp(lx - 1.96 * s);
        r->hi95[j] = exp(lx + 1.96 * s);
        r->identified[j] = isfinite(s) && r->hi95[j] / r->lo95[j] <= 10;
        for (size_t k = 0; k < np; k++) {
            double d = sqrt(gsl_matrix_get(cov, j, j) * gsl_matrix_get(cov, k, k));
            r->correlation[j * np + k] = d > 0 ? gsl_matrix_get(cov, j, k) / d : NAN;
        }
    }
    gsl_matrix_free(cov);
}

/* Every heal case at the fitted point, with its sensitivity to each
 * parameter (central differences of +/-10% in the parameter). */
static mn_status evaluate_all(fit_ctx *f, const gsl_vector *x, mn_fit_result *r,
                              const int *is_heal)
{
    gsl_vector *xp = gsl_vector_alloc(x->size);
    if (!xp)
        return MN_ENOMEM;
    mn_status st = MN_OK;
    for (size_t i = 0; i < f->cases->count && st == MN_OK; i++) {
        const mn_vcase *c = &f->cases->items[i];
        r->residual[i] = NAN;
        if (!is_heal[i])
            continue;
        set_params(f, x);
        st = model_value(f, c, &r->mnsim[i]);
        if (st == MN_OK && r->used[i])
            r->residual[i] = (r->mnsim[i] - c->value) / sigma_of(c);
        for (size_t j = 0; j < r->n_params && st == MN_OK; j++) {
            double up = NAN, down = NAN;
            gsl_vector_memcpy(xp, x);
            gsl_vector_set(xp, j, gsl_vector_get(x, j) + log(1.1));
            set_params(f, xp);
            st = model_value(f, c, &up);
            gsl_vector_set(xp, j, gsl_vector_get(x, j) - log(1.1));
            set_params(f, xp);
            if (st == MN_OK)
                st = model_value(f, c, &down);
            r->sensitivity[i * r->n_params + j] = 0.5 * (up - down);
        }
    }
    gsl_vector_free(xp);
    return st;
}

static double chi2_of(const gsl_vector *f)
{
    double s;
    gsl_blas_ddot(f, f, &s);
    return s;
}

static mn_status run_fit(fit_ctx *f, gsl_vector *x, const mn_progress *progress,
                         mn_fit_result *r, const int *is_heal, mn_error *err)
{
    gsl_multifit_nlinear_fdf fdf = {residuals, NULL, NULL, f->n_rows, r->n_params,
                                    f,         0,    0,    0};
    gsl_multifit_nlinear_parameters par = gsl_multifit_nlinear_default_parameters();
    gsl_multifit_nlinear_workspace *w = gsl_multifit_nlinear_alloc(
        gsl_multifit_nlinear_trust, &par, f->n_rows, r->n_params);
    if (!w)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    mn_status st = MN_OK;
    int s0 = gsl_multifit_nlinear_init(x, &fdf, w);
    if (s0 != GSL_SUCCESS) {
        gsl_multifit_nlinear_free(w);
        return mn_error_set(err, MN_ENUMERIC, "fit: cannot start: %s",
                            gsl_strerror(s0));
    }
    r->chi2_start = chi2_of(gsl_multifit_nlinear_residual(w));
    int max_iter = f->o->max_iterations > 0 ? f->o->max_iterations : 100;
    for (int it = 0; it < max_iter && st == MN_OK; it++) {
        int status = gsl_multifit_nlinear_iterate(w);
        r->iterations = (size_t)it + 1;
        int info = 0;
        if (status == GSL_SUCCESS &&
            gsl_multifit_nlinear_test(1e-6, 1e-6, 0.0, &info, w) == GSL_SUCCESS) {
            r->converged = 1;
            break;
        }
        if (status != GSL_SUCCESS && status != GSL_ENOPROG)
            break;
        if (mn_progress_report(progress, (double)(it + 1) / max_iter, "fit"))
            st = mn_error_set(err, MN_ECANCEL, "cancelled");
        if (status == GSL_ENOPROG) {
            r->converged = 1; /* no step lowers chi-square: at the minimum */
            break;
        }
    }
    if (st == MN_OK) {
        gsl_vector_memcpy(x, gsl_multifit_nlinear_position(w));
        r->chi2 = chi2_of(gsl_multifit_nlinear_residual(w));
        intervals(gsl_multifit_nlinear_jac(w), x, r);
        f->st = MN_OK;
        st = evaluate_all(f, x, r, is_heal);
        if (st != MN_OK)
            mn_error_set(err, st, "%s", f->message);
    }
    gsl_multifit_nlinear_free(w);
    return st;
}

mn_status mn_fit_healing(const mn_validation_env *env, const mn_vcase_list *cases,
                         const mn_fit_options *o, const mn_progress *progress,
                         mn_heal_population *fitted, mn_fit_result *out, mn_error *err)
{
    mn_gsl_errors_off(); /* once per process; the status codes are checked */
    size_t np = o->n_params, nc = cases->count;
    if (alloc_result(out, np, nc) != MN_OK)
        return mn_error_set(err, MN_ENOMEM, "out of memory");
    if (np == 0)
        return mn_error_set(err, MN_EINVAL, "fit: name at least one parameter");
    size_t *rows = calloc(nc ? nc : 1, sizeof *rows);
    int *is_heal = calloc(nc ? nc : 1, sizeof *is_heal);
    gsl_vector *x = gsl_vector_alloc(np);
    mn_status st = MN_OK;
    if (!rows || !is_heal || !x) {
        st = mn_error_set(err, MN_ENOMEM, "out of memory");
        goto done;
    }
    fit_ctx f = {env, cases, rows, 0, o, *env->healing, MN_OK, ""};
    for (size_t i = 0; i < nc; i++) {
        const mn_vcase *c = &cases->items[i];
        is_heal[i] = !strcmp(c->model, "heal");
        out->used[i] = is_heal[i] && isfinite(c->value) && sigma_of(c) > 0;
        if (out->used[i])
            rows[f.n_rows++] = i;
    }
    out->n_used = f.n_rows;
    out->dof = (long)f.n_rows - (long)np;
    if (f.n_rows < np) {
        st = mn_error_set(err, MN_EINVAL,
                          "fit: %zu cases with a published value for %zu parameters: "
                          "give at least as many cases as parameters",
                          f.n_rows, np);
        goto done;
    }
    for (size_t j = 0; j < np; j++) {
        const mn_heal_param_info *info = mn_heal_param_get_info(o->params[j]);
        double v = info ? env->healing->median.value[o->params[j]] : NAN;
        if (!(v > 0)) {
            st = mn_error_set(err, MN_EINVAL, "fit: parameter %d cannot be fitted (%s)",
                              o->params[j],
                              info ? "its value is not positive" : "unknown");
            goto done;
        }
        out->params[j] = o->params[j];
        out->start[j] = v;
        gsl_vector_set(x, j, log(v));
    }
    st = run_fit(&f, x, progress, out, is_heal, err);
    if (st == MN_OK) {
        out->p_value =
            out->dof > 0 ? gsl_cdf_chisq_Q(out->chi2, (double)out->dof) : NAN;
        *fitted = *env->healing;
        for (size_t j = 0; j < np; j++)
            fitted->median.value[o->params[j]] = out->value[j];
        mn_error e;
        if (mn_heal_params_validate(&fitted->median, &e) != MN_OK)
            st = mn_error_set(err, MN_ERANGE,
                              "fit: the best fit leaves the allowed range: %s",
                              e.message);
    }
done:
    gsl_vector_free(x);
    free(rows);
    free(is_heal);
    return st;
}
