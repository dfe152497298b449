/* Writing files whole or not at all (mnsim/file.h): never over a device, a
 * FIFO, a folder or a symbolic link, with or without force; a full disk
 * leaves the old file; no temporary file is left behind; a set of files
 * into a folder is checked first and lands all together or not at all. */
#define _DEFAULT_SOURCE /* mknod, makedev */
#include "mn_test.h"
#include "mnsim/file.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

static int file_is(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return !strcmp(buf, text);
}

/* Entries of a folder, . and .. aside. */
static int entries(const char *path)
{
    DIR *d = opendir(path);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static void test_regular(void)
{
    mn_error e;
    CHECK(mn_file_write(at("a.txt"), "one", 3, 0, 0644, &e) == MN_OK);
    CHECK(mn_file_write(at("a.txt"), "two", 3, 0, 0644, &e) == MN_EEXIST);
    CHECK_STR_HAS(e.message, "--force");
    CHECK(file_is(at("a.txt"), "one"));
    CHECK(mn_file_write(at("a.txt"), "two", 3, 1, 0644, &e) == MN_OK);
    CHECK(file_is(at("a.txt"), "two"));
    CHECK(mn_file_write(at("none/a.txt"), "x", 1, 1, 0644, &e) == MN_EIO);
    CHECK_STR_HAS(e.message, "does not exist");
    CHECK(mn_file_check(at("none/a.txt"), 1, &e) == MN_EIO);
    /* A stream discarded leaves nothing; one committed replaces whole. */
    mn_file_out o;
    CHECK(mn_file_open(&o, at("a.txt"), 1, 0644, &e) == MN_OK);
    fputs("three", o.f);
    mn_file_discard(&o);
    CHECK(file_is(at("a.txt"), "two"));
    CHECK(mn_file_open(&o, at("a.txt"), 1, 0644, &e) == MN_OK);
    fputs("three", o.f);
    CHECK(mn_file_commit(&o, &e) == MN_OK);
    CHECK(file_is(at("a.txt"), "three"));
    CHECK(entries(dir) == 1);
}

/* --force never turns a device, a FIFO or a link into a regular file. */
static void test_not_regular(void)
{
    mn_error e;
    struct stat st;
    CHECK(mkfifo(at("fifo"), 0644) == 0);
    for (int force = 0; force < 2; force++) {
        CHECK(mn_file_write(at("fifo"), "x", 1, force, 0644, &e) == MN_EINVAL);
        CHECK_STR_HAS(e.message, "a FIFO");
        CHECK_STR_HAS(e.message, "fifo");
        CHECK(lstat(at("fifo"), &st) == 0 && S_ISFIFO(st.st_mode));
    }
    /* A device: as root, a private copy of /dev/null (never the real one:
     * a regression would break the machine). */
    if (geteuid() == 0 && mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) == 0) {
        for (int force = 0; force < 2; force++) {
            CHECK(mn_file_write(at("null"), "x", 1, force, 0644, &e) == MN_EINVAL);
            CHECK_STR_HAS(e.message, "null is a character device");
            CHECK(lstat(at("null"), &st) == 0 && S_ISCHR(st.st_mode));
        }
        unlink(at("null"));
    }
    FILE *f = fopen(at("target.txt"), "w");
    fputs("kept", f);
    fclose(f);
    CHECK(symlink("target.txt", at("link.txt")) == 0);
    mn_file_out o;
    CHECK(mn_file_open(&o, at("link.txt"), 1, 0644, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "symbolic link");
    CHECK(lstat(at("link.txt"), &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(file_is(at("target.txt"), "kept"));
    CHECK(mn_file_write(dir, "x", 1, 1, 0644, &e) == MN_EINVAL);
    CHECK_STR_HAS(e.message, "a folder");
    unlink(at("fifo"));
    unlink(at("link.txt"));
    unlink(at("target.txt"));
}

/* A full disk (here: a file size limit) is an error and keeps the old
 * file; no temporary file is left. */
static void test_short_write(void)
{
    mn_error e;
    CHECK(mn_file_write(at("big.txt"), "old", 3, 0, 0644, &e) == MN_OK);
    size_t n = 200000;
    char *big = malloc(n);
    memset(big, 'x', n);
    struct rlimit old, lim;
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 20000;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    CHECK(mn_file_write(at("big.txt"), big, n, 1, 0644, &e) == MN_EIO);
    CHECK_STR_HAS(e.message, "cannot write");
    mn_file_out o;
    CHECK(mn_file_open(&o, at("big.txt"), 1, 0644, &e) == MN_OK);
    fwrite(big, 1, n, o.f);
    CHECK(mn_file_commit(&o, &e) == MN_EIO);
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(file_is(at("big.txt"), "old"));
    CHECK(entries(dir) == 2); /* a.txt, big.txt */
    free(big);
    unlink(at("big.txt"));
}

static void test_set(void)
{
    mn_error e;
    const char *names[] = {"r.html", "r.json"};
    char sub[512];
    snprintf(sub, sizeof sub, "%s/out", dir);
    CHECK(mn_file_check_names(sub, names, 2, 0, &e) == MN_OK); /* no folder yet */
    mn_file_set s;
    char p[1024];
    CHECK(mn_file_set_open(&s, sub, names, 2, 0, &e) == MN_OK);
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/%s", s.stage, names[i]);
        CHECK(mn_file_write(p, "first", 5, 0, 0644, &e) == MN_OK);
    }
    CHECK(mn_file_set_commit(&s, names, 2, &e) == MN_OK);
    CHECK(entries(sub) == 2);
    /* Again without force: refused before anything is written, naming all. */
    CHECK(mn_file_set_open(&s, sub, names, 2, 0, &e) == MN_EEXIST);
    CHECK_STR_HAS(e.message, "r.html, r.json");
    CHECK(entries(sub) == 2);
    /* With force, a failure half way (one file never written) changes
     * nothing. */
    CHECK(mn_file_set_open(&s, sub, names, 2, 1, &e) == MN_OK);
    snprintf(p, sizeof p, "%s/%s", s.stage, names[0]);
    CHECK(mn_file_write(p, "second", 6, 0, 0644, &e) == MN_OK);
    CHECK(mn_file_set_commit(&s, names, 2, &e) == MN_EIO);
    CHECK_STR_HAS(e.message, "r.json was not written");
    snprintf(p, sizeof p, "%s/r.html", sub);
    CHECK(file_is(p, "first"));
    CHECK(entries(sub) == 2);
    /* Discarded: the stage goes, the results stay. */
    CHECK(mn_file_set_open(&s, sub, names, 2, 1, &e) == MN_OK);
    mn_file_set_discard(&s);
    CHECK(entries(sub) == 2);
    const char *bad[] = {"../x"};
    CHECK(mn_file_set_open(&s, sub, bad, 1, 1, &e) == MN_EINVAL);
    /* A new folder is removed again when nothing lands in it. */
    snprintf(sub, sizeof sub, "%s/new", dir);
    CHECK(mn_file_set_open(&s, sub, names, 2, 0, &e) == MN_OK);
    mn_file_set_discard(&s);
    CHECK(access(sub, F_OK) != 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/mnsim-test-file-%ld", (long)getpid());
    CHECK(mkdir(dir, 0700) == 0);
    test_regular();
    test_not_regular();
    test_short_write();
    test_set();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    return mn_test_report("file");
}
