/* Writing files whole or not at all (mnsim/file.h). */
#include "mnsim/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)    ? "a folder"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISSOCK(m) ? "a socket"
           : S_ISLNK(m)  ? "a symbolic link"
                         : "not a regular file";
}

/* The folder of path ("." when it has none) into buf. */
static const char *folder_of(const char *path, char *buf, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return ".";
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    snprintf(buf, n, "%.*s", (int)len, path);
    return buf;
}

static mn_status cannot_write(const char *path, int e, mn_error *err)
{
    if (e == ENOENT || e == ENOTDIR) {
        char dir[MN_FILE_PATH_MAX];
        return mn_error_set(err, MN_EIO,
                            "%s: cannot write: the folder %s does not exist", path,
                            folder_of(path, dir, sizeof dir));
    }
    return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
}

mn_status mn_file_check(const char *path, int force, mn_error *err)
{
    struct stat st;
    if (!path || !*path)
        return mn_error_set(err, MN_EINVAL, "no file name");
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT)
            return cannot_write(path, errno, err);
        /* A new file: its folder must be there. */
        char dir[MN_FILE_PATH_MAX];
        if (stat(folder_of(path, dir, sizeof dir), &st) != 0)
            return cannot_write(path, errno, err);
        if (!S_ISDIR(st.st_mode))
            return cannot_write(path, ENOTDIR, err);
        return MN_OK;
    }
    if (!S_ISREG(st.st_mode))
        return mn_error_set(err, MN_EINVAL, "%s is %s: mnsim writes only regular files",
                            path, kind_of(st.st_mode));
    if (!force)
        return mn_error_set(err, MN_EEXIST, "%s exists; use --force to replace it",
                            path);
    return MN_OK;
}

/* fsync the folder of path, so that a rename survives a crash. */
static void sync_folder(const char *path)
{
    char dir[MN_FILE_PATH_MAX];
    int fd = open(folder_of(path, dir, sizeof dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Move the finished file tmp to path. Without force a hard link puts it
 * there only if the name is still free; with force the target is replaced
 * only if it is (still) a regular file. tmp is left for the caller. */
static mn_status place(const char *tmp, const char *path, int force, mn_error *err)
{
    if (!force) {
        if (link(tmp, path) == 0) {
            unlink(tmp);
            return MN_OK;
        }
        if (errno == EEXIST) {
            mn_status st = mn_file_check(path, 0, err);
            return st ? st : mn_error_set(err, MN_EEXIST, "%s exists", path);
        }
        /* File systems without hard links: check, then rename. */
    }
    mn_status st = mn_file_check(path, force, err);
    if (st != MN_OK)
        return st;
    if (rename(tmp, path) != 0)
        return cannot_write(path, errno, err);
    return MN_OK;
}

mn_status mn_file_open(mn_file_out *o, const char *path, int force, mode_t mode,
                       mn_error *err)
{
    static unsigned counter;
    memset(o, 0, sizeof *o);
    if (!path || strlen(path) >= sizeof o->path)
        return mn_error_set(err, MN_EINVAL, "%s: no file name, or a name too long",
                            path ? path : "");
    mn_status st = mn_file_check(path, force, err);
    if (st != MN_OK)
        return st;
    snprintf(o->path, sizeof o->path, "%s", path);
    o->force = force;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; attempt++) {
        unsigned k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
        snprintf(o->tmp, sizeof o->tmp, "%s.tmp-%ld-%u", path, (long)getpid(), k);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0 && errno != EEXIST)
            return cannot_write(path, errno, err);
    }
    if (fd < 0)
        return mn_error_set(err, MN_EIO, "%s: cannot create a temporary file beside it",
                            path);
    if (!(o->f = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return cannot_write(path, e, err);
    }
    return MN_OK;
}

mn_status mn_file_commit(mn_file_out *o, mn_error *err)
{
    if (!o->f)
        return mn_error_set(err, MN_EINVAL, "%s: no file open", o->path);
    int bad = fflush(o->f) != 0 || ferror(o->f);
    int e = bad ? errno : 0;
    if (!bad && fsync(fileno(o->f)) != 0)
        bad = 1, e = errno;
    if (fclose(o->f) != 0 && !bad)
        bad = 1, e = errno;
    o->f = NULL;
    mn_status st = MN_OK;
    if (bad)
        st = mn_error_set(err, MN_EIO, "%s: cannot write: %s", o->path,
                          e ? strerror(e) : "a write failed");
    else if ((st = place(o->tmp, o->path, o->force, err)) == MN_OK)
        sync_folder(o->path);
    if (st != MN_OK)
        unlink(o->tmp);
    return st;
}

void mn_file_discard(mn_file_out *o)
{
    if (o->f) {
        fclose(o->f);
        o->f = NULL;
        unlink(o->tmp);
    }
}

mn_status mn_file_write(const char *path, const void *data, size_t n, int force,
                        mode_t mode, mn_error *err)
{
    mn_file_out o;
    mn_status st = mn_file_open(&o, path, force, mode, err);
    if (st != MN_OK)
        return st;
    if (n && fwrite(data, 1, n, o.f) != n) {
        int e = errno;
        mn_file_discard(&o);
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return mn_file_commit(&o, err);
}

/* ---- a set of files ---------------------------------------------------- */

static int join(char *buf, size_t n, const char *dir, const char *name)
{
    int len = snprintf(buf, n, "%s/%s", dir, name);
    return len >= 0 && (size_t)len < n;
}

/* Create dir when missing (made = 1); it must be a folder. */
static mn_status make_dir(const char *dir, int *made, mn_error *err)
{
    struct stat st;
    *made = 0;
    if (mkdir(dir, 0755) == 0) {
        *made = 1;
        return MN_OK;
    }
    if (errno != EEXIST)
        return mn_error_set(err, MN_EIO, "%s: cannot create the folder: %s", dir,
                            strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return mn_error_set(err, MN_EINVAL, "%s exists and is not a folder", dir);
    return MN_OK;
}

mn_status mn_file_check_names(const char *dir, const char *const *names, size_t n,
                              int force, mn_error *err)
{
    struct stat sb;
    if (stat(dir, &sb) != 0 && errno == ENOENT)
        return MN_OK; /* a new folder holds nothing */
    char list[360] = "";
    size_t len = 0, existing = 0;
    for (size_t i = 0; i < n; i++) {
        char p[MN_FILE_PATH_MAX];
        if (!names[i][0] || strchr(names[i], '/') || !join(p, sizeof p, dir, names[i]))
            return mn_error_set(err, MN_EINVAL, "%s: not a file name in %s", names[i],
                                dir);
        mn_status st = mn_file_check(p, force, err);
        if (st == MN_EEXIST) {
            if (len + strlen(names[i]) + 3 < sizeof list)
                len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                        existing ? ", " : "", names[i]);
            existing++;
        } else if (st != MN_OK) {
            return st;
        }
    }
    if (!existing)
        return MN_OK;
    return mn_error_set(err, MN_EEXIST,
                        "%s already holds %zu of the files to write (%s%s); use "
                        "--force to replace them",
                        dir, existing, list, len + 3 >= sizeof list ? ", ..." : "");
}

mn_status mn_file_set_open(mn_file_set *s, const char *dir, const char *const *names,
                           size_t n, int force, mn_error *err)
{
    memset(s, 0, sizeof *s);
    size_t len = dir ? strlen(dir) : 0;
    while (len > 1 && dir[len - 1] == '/')
        len--;
    if (!len || len >= sizeof s->dir)
        return mn_error_set(err, MN_EINVAL, "no folder name, or a name too long");
    snprintf(s->dir, sizeof s->dir, "%.*s", (int)len, dir);
    s->force = force;
    mn_status st = make_dir(s->dir, &s->made_dir, err);
    if (st == MN_OK)
        st = mn_file_check_names(s->dir, names, n, s->force, err);
    if (st == MN_OK) {
        snprintf(s->stage, sizeof s->stage, "%s/.mnsim-stage-XXXXXX", s->dir);
        if (!mkdtemp(s->stage)) {
            st = mn_error_set(err, MN_EIO, "%s: cannot write there: %s", s->dir,
                              strerror(errno));
            s->stage[0] = '\0';
        }
    }
    if (st != MN_OK)
        mn_file_set_discard(s);
    return st;
}

mn_status mn_file_set_commit(mn_file_set *s, const char *const *names, size_t n,
                             mn_error *err)
{
    mn_status st = MN_OK;
    char from[MN_FILE_PATH_MAX + 320], to[MN_FILE_PATH_MAX + 320];
    struct stat sb;
    for (size_t i = 0; i < n && st == MN_OK; i++)
        if (!join(from, sizeof from, s->stage, names[i]) || lstat(from, &sb) != 0 ||
            !S_ISREG(sb.st_mode))
            st = mn_error_set(err, MN_EIO, "%s/%s was not written", s->dir, names[i]);
    if (st == MN_OK)
        st = mn_file_check_names(s->dir, names, n, s->force, err);
    for (size_t i = 0; i < n && st == MN_OK; i++) {
        join(from, sizeof from, s->stage, names[i]);
        join(to, sizeof to, s->dir, names[i]);
        st = place(from, to, s->force, err);
    }
    if (st == MN_OK && n) {
        sync_folder(to);
        s->made_dir = 0; /* it holds the results now */
    }
    mn_file_set_discard(s);
    return st;
}

void mn_file_set_discard(mn_file_set *s)
{
    if (s->stage[0]) {
        DIR *d = opendir(s->stage);
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            char p[MN_FILE_PATH_MAX + 320];
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
                join(p, sizeof p, s->stage, e->d_name))
                unlink(p);
        }
        if (d)
            closedir(d);
        rmdir(s->stage);
        s->stage[0] = '\0';
    }
    if (s->made_dir)
        rmdir(s->dir);
    s->made_dir = 0;
}

/* ---- a folder of partial results ----------------------------------------- */

mn_status mn_file_dir_make(const char *dir, mn_error *err)
{
    int made;
    return make_dir(dir, &made, err);
}

void mn_file_dir_remove(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        char p[MN_FILE_PATH_MAX + 320];
        struct stat st;
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            join(p, sizeof p, dir, e->d_name) && lstat(p, &st) == 0 && S_ISREG(st.st_mode))
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}
