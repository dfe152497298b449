/* Writing a file whole or not at all (mnsim/file.h). */
#include "mnsim/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

static mn_status check_target(const char *path, int force, mn_error *err)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT
                   ? MN_OK
                   : mn_error_set(err, MN_EIO, "%s: %s", path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return mn_error_set(err, MN_EINVAL, "%s is %s: mnsim writes only regular files",
                            path, kind_of(st.st_mode));
    if (!force)
        return mn_error_set(err, MN_EEXIST, "%s exists; use --force to replace it",
                            path);
    return MN_OK;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

mn_status mn_file_write(const char *path, const void *data, size_t n, int force,
                        mode_t mode, mn_error *err)
{
    mn_status st = check_target(path, force, err);
    if (st != MN_OK)
        return st;
    char tmp[4200];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >=
        sizeof tmp)
        return mn_error_set(err, MN_EINVAL, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(errno));
    int bad = write_all(fd, data, n) != 0 || fsync(fd) != 0;
    int e = errno;
    if (close(fd) != 0 && !bad)
        bad = 1, e = errno;
    if (!bad && rename(tmp, path) != 0)
        bad = 1, e = errno;
    if (bad) {
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return MN_OK;
}
