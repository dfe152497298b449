/* The process layer of `mnsim cohort`: MPI or one process (cohort_mpi.h). */
#include "cohort_mpi.h"

#include <stdlib.h>
#include <string.h>

#ifdef MNSIM_HAVE_MPI
#include <mpi.h>
#endif

const char *cohort_mpi_built(void)
{
#ifdef MNSIM_HAVE_MPI
    return "yes";
#else
    return "no";
#endif
}

/* Started by a launcher: Open MPI's mpirun, PMIx or PMI (srun). A plain
 * `mnsim cohort` never initialises MPI (no singleton start-up). */
static int launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE",
                                       "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

int cohort_mpi_init(cohort_mpi *m)
{
    memset(m, 0, sizeof *m);
    m->size = 1;
#ifdef MNSIM_HAVE_MPI
    if (!launched())
        return 0;
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS)
        return -1;
    m->active = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m->size);
#else
    /* Started as one of several processes, but unable to talk to them:
     * each would run the whole trial into the same folder. */
    const char *n = getenv("OMPI_COMM_WORLD_SIZE");
    if (!n)
        n = getenv("PMI_SIZE");
    if (launched() && n && atoi(n) > 1)
        return -2;
#endif
    return 0;
}

void cohort_mpi_finalize(cohort_mpi *m)
{
#ifdef MNSIM_HAVE_MPI
    if (m->active)
        MPI_Finalize();
#endif
    m->active = 0;
}

int cohort_mpi_all(const cohort_mpi *m, int ok)
{
    int all = ok != 0;
#ifdef MNSIM_HAVE_MPI
    if (m->active)
        MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
#else
    (void)m;
#endif
    return all;
}

int cohort_mpi_gather(const cohort_mpi *m, const double *mine, size_t n_mine,
                      double *all)
{
    if (!m->active) {
        if (n_mine)
            memcpy(all, mine, n_mine * sizeof *mine);
        return 0;
    }
#ifdef MNSIM_HAVE_MPI
    /* Counts as int (MPI): a rank holds at most INT_MAX doubles. */
    if (n_mine > 2147483647u)
        return -1;
    int n = (int)n_mine, *counts = NULL, *displs = NULL;
    if (m->rank == 0) {
        counts = calloc((size_t)m->size, sizeof *counts);
        displs = calloc((size_t)m->size, sizeof *displs);
        if (!counts || !displs)
            MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (m->rank == 0)
        for (int r = 1; r < m->size; r++)
            displs[r] = displs[r - 1] + counts[r - 1];
    int rc = MPI_Gatherv(mine, n, MPI_DOUBLE, all, counts, displs, MPI_DOUBLE, 0,
                         MPI_COMM_WORLD);
    free(counts);
    free(displs);
    return rc == MPI_SUCCESS ? 0 : -1;
#else
    return -1;
#endif
}
