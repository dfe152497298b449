/* mnsim: progress reporting for long work (floor: base).
 * Thread safety: the callback may be called from a worker thread of the
 * computation's OpenMP team, never two calls at once for one computation. */
#ifndef MNSIM_PROGRESS_H
#define MNSIM_PROGRESS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Called by long computations with the fraction done (0..1) and a short
 * stage name. Return non-zero to cancel: the computation then stops and
 * returns MN_ECANCEL. The library never prints; the caller decides. */
typedef int (*mn_progress_fn)(void *user, double fraction, const char *stage);

typedef struct {
    mn_progress_fn fn;
    void *user;
} mn_progress;

/* Report progress; returns non-zero when the callback asks to cancel.
 * A NULL progress or callback is allowed and never cancels. */
static inline int mn_progress_report(const mn_progress *p, double fraction,
                                     const char *stage)
{
    return (p && p->fn) ? p->fn(p->user, fraction, stage) : 0;
}

#ifdef __cplusplus
}
#endif
#endif
