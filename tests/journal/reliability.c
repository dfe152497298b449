/* Journal reliability (issue: "health records must never be lost"):
 *  1. a writer killed with SIGKILL at random points (20 times) loses no
 *     committed session and leaves a journal that passes integrity_check;
 *  2. two processes adding sessions at the same time both succeed, nothing
 *     is lost.
 * Usage: reliability DIR (a scratch directory). */
#include "mn_test.h"
#include "mnsim/journal.h"
#include "mnsim/rng.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char db[600];

/* Child: add sessions forever, reporting each committed id on fd. */
static void writer(int fd, int tag, int count)
{
    mn_journal *j = NULL;
    mn_error e;
    if (mn_journal_open(db, 0, &j, &e) != MN_OK)
        _exit(3);
    for (int i = 0; count < 0 || i < count; i++) {
        char note[64];
        snprintf(note, sizeof note, "writer %d item %d", tag, i);
        mn_kv kv[] = {{"person", "P001"}, {"at", "2027-01-04T10:00"},
                      {"needle_length", "0.5 mm"}, {"zones", "cheek"}, {"notes", note}};
        int64_t id;
        if (mn_journal_add(j, MN_J_SESSION, kv, 5, &id, &e) != MN_OK) {
            fprintf(stderr, "writer %d: %s\n", tag, e.message);
            _exit(4);
        }
        if (fd >= 0 && write(fd, &id, sizeof id) != (ssize_t)sizeof id)
            _exit(5);
    }
    mn_journal_close(j);
    _exit(0);
}

static int64_t count_sessions(void)
{
    mn_journal *j = NULL;
    mn_error e;
    mn_journal_rows rows = {0};
    if (mn_journal_open(db, 0, &j, &e) != MN_OK)
        return -1;
    int64_t n = mn_journal_list(j, MN_J_SESSION, 0, &rows, &e) == MN_OK ? (int64_t)rows.count : -1;
    mn_journal_rows_free(&rows);
    mn_journal_close(j);
    return n;
}

static int session_exists(mn_journal *j, int64_t id)
{
    mn_journal_rows rows = {0};
    mn_error e;
    int ok = mn_journal_get(j, MN_J_SESSION, id, &rows, &e) == MN_OK;
    mn_journal_rows_free(&rows);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: reliability DIR\n");
        return 2;
    }
    snprintf(db, sizeof db, "%s/reliability-%ld.db", argv[1], (long)getpid());
    mn_journal *j = NULL;
    mn_error e;
    CHECK(mn_journal_open(db, 1, &j, &e) == MN_OK);
    mn_kv person[] = {{"code", "P001"}};
    CHECK(mn_journal_add(j, MN_J_PERSON, person, 1, NULL, &e) == MN_OK);
    mn_journal_close(j);

    /* 1. SIGKILL at random points. */
    mn_rng r;
    mn_rng_init(&r, 2026, "journal-kill", 0, 0);
    long reported_total = 0;
    for (int round = 0; round < 20; round++) {
        int p[2];
        CHECK(pipe(p) == 0);
        pid_t child = fork();
        if (child == 0) {
            close(p[0]);
            writer(p[1], round, -1);
        }
        close(p[1]);
        /* Let it write for 5-80 ms, then kill it mid-stream. */
        long us = 5000 + (long)mn_rng_below(&r, 75000);
        struct timespec ts = {0, us * 1000};
        nanosleep(&ts, NULL);
        kill(child, SIGKILL);
        int status;
        waitpid(child, &status, 0);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        int64_t ids[4096];
        ssize_t got = 0, n;
        while ((n = read(p[0], (char *)ids + got, sizeof ids - (size_t)got)) > 0)
            got += n;
        close(p[0]);
        size_t nid = (size_t)got / sizeof ids[0];
        reported_total += (long)nid;
        CHECK(mn_journal_open(db, 0, &j, &e) == MN_OK);
        if (!j)
            break;
        CHECK(mn_journal_check(j, &e) == MN_OK);
        size_t missing = 0;
        for (size_t i = 0; i < nid; i++)
            missing += !session_exists(j, ids[i]);
        CHECK(missing == 0);
        mn_journal_close(j);
    }
    printf("kill test: 20 rounds, %ld committed sessions reported, none lost\n",
           reported_total);
    CHECK(reported_total > 0);

    /* 2. Two processes at once. */
    int64_t before = count_sessions();
    pid_t a = fork();
    if (a == 0)
        writer(-1, 100, 100);
    pid_t b = fork();
    if (b == 0)
        writer(-1, 200, 100);
    int sa, sb;
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    CHECK(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
    CHECK(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
    int64_t after = count_sessions();
    printf("concurrency test: %lld sessions before, %lld after (200 added)\n",
           (long long)before, (long long)after);
    CHECK(after - before == 200);
    CHECK(mn_journal_open(db, 0, &j, &e) == MN_OK);
    CHECK(j && mn_journal_check(j, &e) == MN_OK);
    mn_journal_close(j);
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", db, db, db);
    CHECK(system(cmd) == 0);
    return mn_test_report("journal reliability");
}
