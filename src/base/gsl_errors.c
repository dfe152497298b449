/* GSL's process-wide error handler, set once (mnsim/error.h). */
#include "mnsim/error.h"

#include <pthread.h>

#include <gsl/gsl_errno.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void set_off(void)
{
    gsl_set_error_handler_off();
}

void mn_gsl_errors_off(void)
{
    pthread_once(&once, set_off);
}
