/* The process layer of `mnsim cohort` (floor: cli): MPI when the command
 * was built with it (MNSIM_HAVE_MPI) and started by an MPI launcher
 * (mpirun, srun), one process otherwise. The only file that calls MPI
 * (tests/arch/check-floors.py). */
#ifndef MNSIM_CLI_COHORT_MPI_H
#define MNSIM_CLI_COHORT_MPI_H

#include <stddef.h>

typedef struct {
    int rank, size;
    int active; /* MPI_Init was called */
} cohort_mpi;

/* Start: MPI_Init when built with MPI and a launcher's environment is
 * present, else rank 0 of 1. 0; -1 when MPI could not start; -2 when built
 * without MPI but started as one of several processes (mpirun -np 2). */
int cohort_mpi_init(cohort_mpi *m);

/* MPI_Finalize when active. */
void cohort_mpi_finalize(cohort_mpi *m);

/* 1 when ok is non-zero on every rank (collective; ok itself alone). */
int cohort_mpi_all(const cohort_mpi *m, int ok);

/* Gather n_mine doubles of every rank, in rank order, into all on rank 0
 * (all: the sum of every rank's n_mine; NULL on other ranks). 0 or -1. */
int cohort_mpi_gather(const cohort_mpi *m, const double *mine, size_t n_mine,
                      double *all);

/* Whether the command was built with MPI ("yes"/"no"). */
const char *cohort_mpi_built(void);

#endif
