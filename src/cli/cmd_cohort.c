/* mnsim cohort TRIAL -o DIR: a virtual trial (docs/cohort.md). This file
 * parses, loads, splits the people into blocks over the processes
 * (cohort_mpi.c), keeps the finished blocks in DIR/.cohort-partial
 * (checkpoint), gathers the endpoint values on rank 0 and renders; the
 * trial itself is library code (mnsim/cohort.h, cohort_io.h,
 * cohort_report.h). */
#include "cli.h"
#include "opts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifdef MNSIM_HAVE_OPENMP
#include <omp.h>
#endif

#include "cohort_mpi.h"
#include "mnsim/cohort.h"
#include "mnsim/cohort_io.h"
#include "mnsim/cohort_report.h"

#define PART ".cohort-partial"
#define CLI_STOPPED 3

typedef struct {
    const char *trial, *dir;
    int force, resume, ranks_info;
    long stop_after;
} cohort_opts;

/* Everything loaded for the trial. */
typedef struct {
    mn_cohort_trial trial;
    mn_cohort_population pop;
    mn_course courses[8];
    mn_cohort_arm arms[8];
    const char *names[8];
    size_t n_arms;
    mn_heal_population healing;
    size_t ne; /* endpoints per person and arm */
    size_t n_blocks;
    char part[4200];
    char key[512];
} cohort_job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int parse_args(cli_ctx *c, int argc, char **argv, cohort_opts *o)
{
    memset(o, 0, sizeof *o);
    cli_opt opts[] = {
        CLI_STR("--output", &o->dir),
        CLI_FLAG("--force", &o->force),
        CLI_FLAG("--resume", &o->resume),
        CLI_FLAG("--ranks-info", &o->ranks_info),
        CLI_LONG("--stop-after", &o->stop_after, 1, 100000000),
    };
    opts[0].alias = "-o";
    const char *pos[1];
    size_t n_pos = 0;
    int rc = cli_opts_parse(c, "cohort", opts, sizeof opts / sizeof *opts, argc, argv,
                            pos, 1, &n_pos);
    if (rc)
        return rc;
    o->trial = n_pos ? pos[0] : NULL;
    if (!o->trial || !o->dir)
        return cli_usage_error(c, "cohort", "cohort needs a TRIAL file and -o DIR");
    return CLI_OK;
}

/* Print every problem of a file (or the error alone). */
static int print_diags(const cli_ctx *c, mn_diags *d, const mn_error *e)
{
    int rc = cli_fail_diags(c, d, e);
    mn_diags_free(d);
    return rc;
}

/* A hash of every input (trial, population, protocols) and of the shape of
 * the run: a checkpoint is resumed only by the same trial. */
static void input_key(cohort_job *j, const char *trial_path)
{
    mn_sha256 h;
    mn_sha256_init(&h);
    const char *files[10] = {trial_path, j->trial.population};
    size_t nf = 2;
    for (size_t a = 0; a < j->n_arms; a++)
        files[nf++] = ((mn_cohort_arm_spec *)j->trial.arms.items)[a].protocol;
    for (size_t i = 0; i < nf; i++) {
        FILE *f = fopen(files[i], "rb");
        unsigned char buf[4096];
        size_t n;
        while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
            mn_sha256_update(&h, buf, n);
        if (f)
            fclose(f);
        mn_sha256_update(&h, "\n", 1);
    }
    char hex[65];
    mn_sha256_hex(&h, hex);
    snprintf(j->key, sizeof j->key,
             "mnsim cohort checkpoint 1\nmnsim %s\ninputs %s\npeople %ld\nblock %ld\n"
             "arms %zu\nendpoints %zu\n",
             mn_version(), hex, j->trial.n_people, j->trial.block, j->n_arms, j->ne);
}

static int load_job(cli_ctx *c, const char *path, cohort_job *j)
{
    mn_diags d = {0};
    mn_error e;
    mn_error_clear(&e);
    if (mn_cohort_trial_load(path, &j->trial, &d, &e))
        return print_diags(c, &d, &e);
    if (mn_cohort_population_load(j->trial.population, &j->pop, &d, &e))
        return print_diags(c, &d, &e);
    char data[4200];
    if (cli_data_dir(c, data, sizeof data))
        return CLI_FAIL;
    for (size_t a = 0; a < j->trial.arms.count; a++) {
        const mn_cohort_arm_spec *s =
            (const mn_cohort_arm_spec *)j->trial.arms.items + a;
        j->n_arms = a + 1;
        j->names[a] = s->name;
        if (mn_cohort_arm_course_load(s, path, data, &j->courses[a], &d, &e))
            return print_diags(c, &d, &e);
        mn_diags_free(&d);
        if (mn_cohort_arm_prepare(&j->courses[a], s->zone, j->trial.endpoints.numbness,
                                  &j->arms[a], &e)) {
            cli_errorf(c, "%s: arm %s: %s", path, s->name, e.message);
            return CLI_FAIL;
        }
    }
    mn_diags_free(&d);
    mn_cohort_healing_population(&j->pop, &j->courses[0].healing.population,
                                 &j->healing);
    j->ne = mn_cohort_n_endpoints(&j->trial.endpoints);
    j->n_blocks = (size_t)((j->trial.n_people + j->trial.block - 1) / j->trial.block);
    input_key(j, path);
    return CLI_OK;
}

static void free_job(cohort_job *j)
{
    for (size_t a = 0; a < 8; a++) {
        mn_cohort_arm_free(&j->arms[a]);
        mn_course_free(&j->courses[a]);
    }
    mn_cohort_population_clear(&j->pop);
    mn_cohort_trial_clear(&j->trial);
}

/* ---- blocks and the checkpoint -------------------------------------------- */

static void block_range(const cohort_job *j, size_t b, uint64_t *first, size_t *n)
{
    *first = (uint64_t)b * (uint64_t)j->trial.block;
    uint64_t end = *first + (uint64_t)j->trial.block;
    if (end > (uint64_t)j->trial.n_people)
        end = (uint64_t)j->trial.n_people;
    *n = (size_t)(end - *first);
}

static void block_path(const cohort_job *j, size_t b, const char *ext, char *buf,
                       size_t n)
{
    snprintf(buf, n, "%s/block-%08zu.%s", j->part, b, ext);
}

/* The values of block b from its file; 0 when it is whole. */
static int block_read(const cohort_job *j, size_t b, double *values)
{
    uint64_t first;
    size_t n;
    block_range(j, b, &first, &n);
    size_t want = n * j->n_arms * j->ne;
    char p[4300];
    block_path(j, b, "csv", p, sizeof p);
    if (access(p, R_OK))
        return -1;
    block_path(j, b, "bin", p, sizeof p);
    FILE *f = fopen(p, "rb");
    if (!f)
        return -1;
    size_t got = fread(values, sizeof *values, want, f);
    int extra = fgetc(f) != EOF;
    fclose(f);
    return got == want && !extra ? 0 : -1;
}

/* Run block b and write its rows and values (rows first: the values file
 * marks the block done). */
static mn_status block_run(const cohort_job *j, size_t b, double *values,
                           mn_cohort_person *people, mn_error *e)
{
    uint64_t first;
    size_t n;
    block_range(j, b, &first, &n);
    mn_status st = mn_cohort_run_block(&j->trial, &j->pop, &j->healing, j->arms,
                                       j->n_arms, first, n, people, values, e);
    if (st)
        return st;
    char *rows =
        mn_cohort_rows_csv(&j->trial, j->names, j->n_arms, people, n, values, 0);
    if (!rows)
        return mn_error_set(e, MN_ENOMEM, "out of memory");
    char p[4300];
    block_path(j, b, "csv", p, sizeof p);
    st = mn_file_write(p, rows, strlen(rows), 1, 0644, e);
    free(rows);
    block_path(j, b, "bin", p, sizeof p);
    if (!st)
        st = mn_file_write(p, values, n * j->n_arms * j->ne * sizeof *values, 1, 0644,
                           e);
    return st;
}

/* Rank 0: DIR and its checkpoint folder, new or resumed. */
static int open_part(cli_ctx *c, const cohort_opts *o, cohort_job *j)
{
    mn_error e;
    mn_error_clear(&e);
    size_t nf = 0;
    while (mn_cohort_report_files[nf])
        nf++;
    if (mn_file_check_names(o->dir, mn_cohort_report_files, nf, o->force, &e) ||
        mn_file_dir_make(o->dir, &e)) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    char kp[4300], old[512] = "";
    snprintf(kp, sizeof kp, "%s/trial.key", j->part);
    FILE *f = fopen(kp, "rb");
    if (f) {
        size_t n = fread(old, 1, sizeof old - 1, f);
        old[n] = '\0';
        fclose(f);
    }
    int exists = access(j->part, F_OK) == 0;
    if (exists && !o->resume && !o->force) {
        cli_errorf(c,
                   "%s holds an unfinished trial; --resume continues it, --force "
                   "starts it again",
                   j->part);
        return CLI_FAIL;
    }
    if (exists && o->resume && old[0] && strcmp(old, j->key)) {
        cli_errorf(c,
                   "%s was started by another trial (its files, people or block "
                   "differ); --force without --resume starts this one again",
                   j->part);
        return CLI_FAIL;
    }
    if (exists && !o->resume)
        mn_file_dir_remove(j->part);
    if (mn_file_dir_make(j->part, &e) ||
        mn_file_write(kp, j->key, strlen(j->key), 1, 0644, &e)) {
        cli_error(c, &e);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* ---- progress ------------------------------------------------------------- */

typedef struct {
    const cli_ctx *c;
    double t0;
    size_t done, total, last_pct;
    int shown;
} cohort_progress;

static void progress_show(cohort_progress *p, size_t done_now, size_t resumed)
{
    p->done += done_now;
    if (!p->c->stderr_tty || p->c->quiet || !p->total)
        return;
    size_t pct = 100 * p->done / p->total;
    double el = now_s() - p->t0, rate = (double)(p->done - resumed) / (el > 0 ? el : 1);
    double eta = rate > 0 ? (double)(p->total - p->done) / rate : NAN;
    int bar = (int)(pct / 5);
    fprintf(stderr, "\rcohort [%.*s%*s] %3zu%%  %zu/%zu blocks", bar,
            "####################", 20 - bar, "", pct, p->done, p->total);
    if (isfinite(eta) && p->done < p->total)
        fprintf(stderr, "  ETA %dm%02ds ", (int)eta / 60, (int)eta % 60);
    else
        fprintf(stderr, "            ");
    p->shown = 1;
}

/* This rank's blocks: run the missing ones, read the others. *stopped is
 * set when --stop-after ended the run early. values: this rank's people. */
static int run_blocks(cli_ctx *c, const cohort_opts *o, const cohort_job *j,
                      const cohort_mpi *m, size_t b0, size_t b1, double *values,
                      int *stopped)
{
    mn_cohort_person *people = calloc((size_t)j->trial.block, sizeof *people);
    if (!people)
        return CLI_FAIL;
    cohort_progress p = {c, now_s(), 0, b1 - b0, 0, 0};
    size_t off = 0, resumed = 0, ran = 0;
    int rc = CLI_OK;
    for (size_t b = b0; b < b1 && !rc; b++) {
        uint64_t first;
        size_t n;
        block_range(j, b, &first, &n);
        double *v = values + off;
        off += n * j->n_arms * j->ne;
        if (o->resume && block_read(j, b, v) == 0) {
            resumed++;
            if (m->rank == 0)
                progress_show(&p, 1, resumed);
            continue;
        }
        if (o->stop_after && (long)ran >= o->stop_after) {
            *stopped = 1;
            break;
        }
        mn_error e;
        mn_error_clear(&e);
        if (block_run(j, b, v, people, &e)) {
            cli_error(c, &e);
            rc = CLI_FAIL;
        }
        ran++;
        if (m->rank == 0)
            progress_show(&p, 1, resumed);
    }
    if (p.shown)
        fputc('\n', stderr);
    free(people);
    return rc;
}

/* ---- the summary and the files (rank 0) ------------------------------------ */

static void print_summary(const cli_ctx *c, const cohort_opts *o, const cohort_job *j,
                          const mn_cohort_summary *s, double t)
{
    size_t f = 3 * j->trial.endpoints.n_months, k = s->compared[0];
    char name[64];
    printf("%s: %ld people x %zu arm(s), seed %ld\n", j->trial.name, j->trial.n_people,
           j->n_arms, j->trial.seed);
    printf("  %-32s %-34s %s\n", "arm",
           mn_cohort_endpoint_name(&j->trial.endpoints, k, name, sizeof name),
           "responders (95% CI)");
    for (size_t a = 0; a < j->n_arms; a++) {
        const mn_cohort_stat *x = &s->stats[(a * s->n_subgroups) * s->n_endpoints + k];
        const mn_cohort_stat *r = &s->stats[(a * s->n_subgroups) * s->n_endpoints + f +
                                            MN_COHORT_E_RESPONDER];
        char med[64];
        snprintf(med, sizeof med, "%+.1f%% (5-95%%: %+.1f to %+.1f)", x->median, x->p5,
                 x->p95);
        printf("  %-32s %-34s %.1f%% (%.1f-%.1f%%)%s\n", j->names[a], med,
               100 * r->rate, 100 * r->rate_lo, 100 * r->rate_hi,
               j->arms[a].n_errors ? "  [breaks safety rules]" : "");
        if (j->arms[a].numb_in_time >= 0)
            printf("  %-32s anaesthetic (median person): %s\n", "",
                   j->arms[a].numb_in_time ? "numb in time" : "NOT numb in time");
    }
    printf(
        "report: %s/report.html (persons.csv, summary.json, summary.csv beside it)\n",
        o->dir);
    if (!c->quiet)
        fprintf(stderr, "time: %.2f s\n", t);
    printf("mnsim informs; it is not medical advice.\n");
}

static int finish(cli_ctx *c, const cohort_opts *o, const cohort_job *j,
                  const double *values, double t0)
{
    size_t np = (size_t)j->trial.n_people;
    mn_cohort_person *people = calloc(np, sizeof *people);
    char **files = calloc(j->n_blocks, sizeof *files);
    int rc = people && files ? CLI_OK : CLI_FAIL;
    for (size_t i = 0; !rc && i < np; i++)
        mn_cohort_person_sample(&j->pop, &j->healing, (uint64_t)j->trial.seed, i,
                                &people[i]);
    for (size_t b = 0; !rc && b < j->n_blocks; b++) {
        files[b] = malloc(4300);
        if (!files[b])
            rc = CLI_FAIL;
        else
            block_path(j, b, "csv", files[b], 4300);
    }
    mn_cohort_summary s;
    memset(&s, 0, sizeof s);
    mn_error e;
    mn_error_clear(&e);
    if (!rc && mn_cohort_summarise(&j->trial, people, np, j->n_arms, values, &s, &e))
        rc = CLI_FAIL;
    mn_cohort_report r = {
        o->trial,   &j->trial, &j->pop, j->names, j->arms,
        j->n_arms,  people,    values,  &s,       (const char *const *)files,
        j->n_blocks};
    if (!rc && mn_cohort_report_write(o->dir, 1, &r, &e))
        rc = CLI_FAIL;
    if (rc)
        cli_error(c, &e);
    else {
        mn_file_dir_remove(j->part);
        print_summary(c, o, j, &s, now_s() - t0);
    }
    mn_cohort_summary_free(&s);
    for (size_t b = 0; files && b < j->n_blocks; b++)
        free(files[b]);
    free(files);
    free(people);
    return rc;
}

static void ranks_info(const cohort_job *j, const cohort_mpi *m)
{
    int threads = 1;
#ifdef MNSIM_HAVE_OPENMP
    threads = omp_get_max_threads();
#endif
    fprintf(stderr,
            "cohort: MPI built %s, %d rank(s), %d thread(s) per rank, %zu block(s) of "
            "%ld people\n",
            cohort_mpi_built(), m->size, threads, j->n_blocks, j->trial.block);
    for (int r = 0; r < m->size; r++) {
        size_t b0 = j->n_blocks * (size_t)r / (size_t)m->size,
               b1 = j->n_blocks * (size_t)(r + 1) / (size_t)m->size;
        if (b1 > b0)
            fprintf(stderr, "  rank %d: blocks %zu-%zu\n", r, b0, b1 - 1);
        else
            fprintf(stderr, "  rank %d: no block\n", r);
    }
}

static int run_cohort(cli_ctx *c, int argc, char **argv)
{
    cohort_opts o;
    int rc = parse_args(c, argc, argv, &o);
    if (rc)
        return rc;
    double t0 = now_s();
    cohort_mpi m;
    int mrc = cohort_mpi_init(&m);
    if (mrc) {
        cli_errorf(c, "%s",
                   mrc == -2 ? "cohort: this mnsim was built without MPI: run it "
                               "as one process (not under mpirun -np N)"
                             : "cohort: MPI could not start");
        return CLI_FAIL;
    }
    if (m.rank != 0)
        c->quiet = 1;
    cohort_job *j = calloc(1, sizeof *j);
    double *values = NULL, *all = NULL;
    rc = j ? load_job(c, o.trial, j) : CLI_FAIL;
    if (!rc)
        snprintf(j->part, sizeof j->part, "%s/%s", o.dir, PART);
    if (!rc && m.rank == 0 && o.ranks_info)
        ranks_info(j, &m);
    if (!rc && m.rank == 0)
        rc = open_part(c, &o, j);
    if (!cohort_mpi_all(&m, !rc))
        goto done;
    size_t b0 = j->n_blocks * (size_t)m.rank / (size_t)m.size,
           b1 = j->n_blocks * (size_t)(m.rank + 1) / (size_t)m.size, n_mine = 0;
    for (size_t b = b0; b < b1; b++) {
        uint64_t first;
        size_t n;
        block_range(j, b, &first, &n);
        n_mine += n * j->n_arms * j->ne;
    }
    values = malloc((n_mine ? n_mine : 1) * sizeof *values);
    int stopped = 0;
    rc = values ? run_blocks(c, &o, j, &m, b0, b1, values, &stopped) : CLI_FAIL;
    if (!cohort_mpi_all(&m, !rc)) {
        rc = CLI_FAIL;
        goto done;
    }
    if (!cohort_mpi_all(&m, !stopped)) {
        if (m.rank == 0)
            cli_errorf(c,
                       "cohort: stopped after --stop-after %ld block(s) per process; "
                       "the finished blocks are in %s: rerun with --resume",
                       o.stop_after, j->part);
        rc = CLI_STOPPED;
        goto done;
    }
    size_t n_all = (size_t)j->trial.n_people * j->n_arms * j->ne;
    if (m.rank == 0 && !(all = malloc((n_all ? n_all : 1) * sizeof *all)))
        rc = CLI_FAIL;
    if (!cohort_mpi_all(&m, !rc) || cohort_mpi_gather(&m, values, n_mine, all)) {
        rc = CLI_FAIL;
        goto done;
    }
    if (m.rank == 0)
        rc = finish(c, &o, j, all, t0);
done:
    rc = rc ? rc : (cohort_mpi_all(&m, 1) ? CLI_OK : CLI_FAIL);
    free(values);
    free(all);
    if (j)
        free_job(j);
    free(j);
    cohort_mpi_finalize(&m);
    return rc;
}

const cli_command cmd_cohort = {
    "cohort", "a virtual trial: arms compared over a sampled population",
    "Usage: mnsim cohort TRIAL.yaml -o DIR [--force] [--resume] [--stop-after N]\n"
    "                    [--ranks-info]\n\n"
    "Samples the trial's population (docs/cohort.md) and runs every virtual person\n"
    "in every arm (the same person in each arm: paired), then writes into DIR:\n"
    "persons.csv (one row per person and arm, in person order), summary.json and\n"
    "summary.csv (per arm and subgroup: median, 5-95%, responder and adverse-index\n"
    "rates with 95% Wilson CIs; paired differences against the first arm with\n"
    "bootstrap CIs), three figures and report.html.\n"
    "Runs on the OpenMP threads of one process, or on many processes and machines\n"
    "under MPI (mpirun -np 4 mnsim cohort ...; DIR on a shared file system). The\n"
    "files are byte-identical for any number of processes and threads.\n"
    "Finished blocks of people are kept in DIR/.cohort-partial: an interrupted\n"
    "trial continues with --resume and gives the same files; --stop-after N\n"
    "stops each process after N new blocks (exit status 3), e.g. to split a long\n"
    "trial over several batch jobs. --force replaces existing results (and starts\n"
    "an unfinished trial again unless --resume). --ranks-info prints how the\n"
    "blocks are split. Not medical advice.\n",
    run_cohort};
