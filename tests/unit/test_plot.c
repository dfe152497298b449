/* Figures (mnsim/plot.h): a figure into a missing folder, a FIFO or over
 * /dev/null is an mnsim error, the program goes on and PLplot prints
 * nothing; a truncated PNG or SVG is never reported as written; a whole one
 * is. */
#include "mn_test.h"
#include "mnsim/plot.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static const char *at(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    *n = 0;
    if (!f || fstat(fileno(f), &st) != 0) {
        if (f)
            fclose(f);
        return NULL;
    }
    unsigned char *d = malloc((size_t)st.st_size + 1);
    *n = fread(d, 1, (size_t)st.st_size, f);
    fclose(f);
    return d;
}

static mn_status section(const char *path, int force, mn_error *e)
{
    mn_skin skin = {{15e-6, 60e-6, 150e-6, 1500e-6}, 120e-6, 1e6};
    mn_depth_result r;
    memset(&r, 0, sizeof r);
    r.depth_m = 800e-6;
    r.width_m = 250e-6;
    return mn_plot_depth_section(path, &skin, &r, 1.5e-3, "test", force, e);
}

/* A whole figure is whole; cut or changed, it is not. */
static void test_whole(const char *name, int svg)
{
    mn_error e;
    CHECK(section(at(name), 0, &e) == MN_OK);
    size_t n;
    unsigned char *d = slurp(at(name), &n);
    CHECK(d && n > 100);
    if (!d)
        return;
    CHECK(mn_plot_file_whole(d, n, svg));
    CHECK(!mn_plot_file_whole(d, n - 1, svg) || svg); /* svg: trailing newline */
    CHECK(!mn_plot_file_whole(d, n / 2, svg));
    CHECK(!mn_plot_file_whole(d, 0, svg));
    if (!svg) {
        d[n / 2] ^= 0x55; /* a CRC no longer matches */
        CHECK(!mn_plot_file_whole(d, n, svg));
    }
    free(d);
    CHECK(section(at(name), 0, &e) == MN_EEXIST);
    CHECK(section(at(name), 1, &e) == MN_OK);
}

/* Figures that cannot be written: errors, and the process goes on. */
static void test_refused(void)
{
    mn_error e;
    mn_error_clear(&e);
    CHECK(section(at("none/x.png"), 1, &e) == MN_EIO);
    CHECK_STR_HAS(e.message, "does not exist");
    CHECK(mkfifo(at("fifo.png"), 0644) == 0);
    CHECK(section(at("fifo.png"), 1, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "a FIFO");
    struct stat st;
    CHECK(lstat(at("fifo.png"), &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK(section(at("x.gif"), 1, &e) == MN_EINVAL);
    unlink(at("fifo.png"));
}

/* A full disk (a file size limit) half way through the PNG. */
static void test_truncated(void)
{
    mn_error e;
    FILE *f = fopen(at("old.png"), "w");
    fputs("old", f);
    fclose(f);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 8000;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    CHECK(section(at("old.png"), 1, &e) == MN_EIO);
    CHECK(section(at("new.svg"), 1, &e) == MN_EIO);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK_STR_HAS(e.message, "not written whole");
    size_t n;
    unsigned char *d = slurp(at("old.png"), &n);
    CHECK(d && n == 3 && !memcmp(d, "old", 3));
    free(d);
    CHECK(access(at("new.svg"), F_OK) != 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/mnsim-test-plot-%ld", (long)getpid());
    CHECK(mkdir(dir, 0700) == 0);
    /* Everything PLplot might print goes to a file that must stay empty. */
    char errpath[300];
    snprintf(errpath, sizeof errpath, "%s.stderr", dir);
    fflush(stderr);
    int saved = dup(2), fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    close(fd);
    test_refused();
    test_whole("a.png", 0);
    test_whole("a.svg", 1);
    test_truncated();
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    CHECK(stat(errpath, &st) == 0 && st.st_size == 0);
    if (st.st_size) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "cat '%s' >&2", errpath);
        (void)!system(cmd);
    }
    unlink(errpath);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return mn_test_report("plot");
}
