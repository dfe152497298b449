/* The shared part of every fuzz target (fuzz.h). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "fuzz.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Sanitizer reports go to the real stderr even while it is captured. */
void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

static char dir[4096];
static char path[4200];
static int capture_fd = -1, saved_out = -1, saved_err = -1, in_call;

static int remove_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void remove_dir(void)
{
    if (dir[0])
        nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
    dir[0] = '\0';
}

void fuzz_fail(const char *fmt, ...)
{
    in_call = 0;
    fflush(stdout);
    fflush(stderr);
    if (saved_err >= 0) {
        dup2(saved_out, 1);
        dup2(saved_err, 2);
    }
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    remove_dir();
    abort();
}

static void at_exit(void)
{
    if (in_call)
        fuzz_fail("the library called exit()");
    remove_dir();
}

static void setup(void)
{
    if (dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/mnsim-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    char cap[4200];
    snprintf(cap, sizeof cap, "%s/captured", dir);
    capture_fd = open(cap, O_RDWR | O_CREAT | O_TRUNC, 0600);
    saved_out = dup(1);
    saved_err = dup(2);
    if (capture_fd < 0 || saved_out < 0 || saved_err < 0)
        fuzz_fail("cannot set up the capture of stdout and stderr");
    if (__sanitizer_set_report_fd)
        __sanitizer_set_report_fd((void *)(intptr_t)saved_err);
    atexit(at_exit);
}

const char *fuzz_dir(void)
{
    setup();
    return dir;
}

const char *fuzz_file(const uint8_t *data, size_t size, const char *name)
{
    setup();
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fuzz_fail("cannot write the input to %s", path);
    return path;
}

void fuzz_quiet_begin(void)
{
    setup();
    fflush(stdout);
    fflush(stderr);
    if (ftruncate(capture_fd, 0) != 0 || lseek(capture_fd, 0, SEEK_SET) != 0 ||
        dup2(capture_fd, 1) < 0 || dup2(capture_fd, 2) < 0)
        fuzz_fail("cannot capture stdout and stderr");
    in_call = 1;
}

void fuzz_quiet_end(void)
{
    in_call = 0;
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    off_t n = lseek(capture_fd, 0, SEEK_END);
    if (n > 0) {
        char buf[1024];
        ssize_t got = pread(capture_fd, buf, sizeof buf - 1, 0);
        buf[got > 0 ? got : 0] = '\0';
        fuzz_fail("the library printed %lld bytes:\n%s", (long long)n, buf);
    }
}

void fuzz_check_error(const mn_error *e)
{
    if (!memchr(e->message, '\0', sizeof e->message) ||
        !memchr(e->file, '\0', sizeof e->file) || e->line < 0 || e->column < 0)
        fuzz_fail("an error record is not terminated or has a bad place");
}

void fuzz_check_diags(const mn_diags *d)
{
    if (d->count > MN_DIAGS_MAX)
        fuzz_fail("%zu diagnostics kept, more than %d", d->count, MN_DIAGS_MAX);
    for (size_t i = 0; i < d->count; i++)
        fuzz_check_error(&d->items[i]);
}

void fuzz_check_status(mn_status st, const mn_error *e, const mn_diags *d)
{
    if (e)
        fuzz_check_error(e);
    if (d)
        fuzz_check_diags(d);
    if (st != MN_OK && e && !e->message[0])
        fuzz_fail("status %d (%s) without a message", st, mn_strerror(st));
    if (st == MN_OK && d && d->n_errors)
        fuzz_fail("success with %zu errors: %s", d->n_errors, d->items[0].message);
}
