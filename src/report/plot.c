/* Figures with PLplot (cairo driver), written whole or not at all
 * (mnsim/plot.h). */
#include "mnsim/plot.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

#include "mnsim/file.h"

const char *mn_plot_device_for(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n > 4 && !strcmp(path + n - 4, ".png"))
        return "pngcairo";
    if (n > 4 && !strcmp(path + n - 4, ".svg"))
        return "svgcairo";
    return NULL;
}

/* ---- a whole file ------------------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 of PNG chunks (ISO 3309), bit by bit: figures are small. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xffffffffu;
}

static int svg_whole(const unsigned char *d, size_t n)
{
    while (n && (d[n - 1] == '\n' || d[n - 1] == '\r' || d[n - 1] == ' '))
        n--;
    return n >= 12 && d[0] == '<' && !memcmp(d + n - 6, "</svg>", 6);
}

int mn_plot_file_whole(const unsigned char *d, size_t n, int svg)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (!d)
        return 0;
    if (svg)
        return svg_whole(d, n);
    if (n < 8 || memcmp(d, sig, 8))
        return 0;
    size_t i = 8;
    while (n - i >= 12) {
        uint32_t len = be32(d + i);
        if (len > n - i - 12)
            return 0;
        if (crc32_of(d + i + 4, (size_t)len + 4) != be32(d + i + 8 + len))
            return 0;
        int iend = !memcmp(d + i + 4, "IEND", 4);
        i += 12 + (size_t)len;
        if (iend)
            return i == n;
    }
    return 0;
}

/* Whether the file at path is a whole figure. */
static int file_whole(const char *path, int svg)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f)
        return 0;
    int ok = 0;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && st.st_size < (1L << 30)) {
        size_t n = (size_t)st.st_size;
        unsigned char *d = malloc(n);
        ok = d && fread(d, 1, n, f) == n && mn_plot_file_whole(d, n, svg);
        free(d);
    }
    fclose(f);
    return ok;
}

/* ---- drawing ------------------------------------------------------------- */

/* PLplot has one state per process: one figure at a time. */
static pthread_mutex_t plot_lock = PTHREAD_MUTEX_INITIALIZER;
static jmp_buf exit_jump;
static char exit_msg[256];   /* PLplot's fatal error */
static char abort_msg[256];  /* its first non-fatal one */
static char pl_errmsg[1024]; /* plsError: plabort writes here, not to stderr */
static PLINT pl_errcode;
static int broken; /* a fatal PLplot error happened: its state is unknown */

/* PLplot calls this instead of exit(): back to mn_plot_render. */
static int on_exit_(const char *msg)
{
    snprintf(exit_msg, sizeof exit_msg, "%s", msg ? msg : "");
    longjmp(exit_jump, 1);
}

static void on_abort(const char *msg)
{
    if (!abort_msg[0])
        snprintf(abort_msg, sizeof abort_msg, "%s", msg && *msg ? msg : "error");
}

static void handlers(int on)
{
    plsexit(on ? on_exit_ : NULL);
    plsabort(on ? on_abort : NULL);
}

static mn_status render_locked(const char *path, const char *dev, int force,
                               const mn_plot_page *page, void (*draw)(void *),
                               void *ctx, mn_error *err)
{
    mn_file_out out;
    mn_status st = mn_file_open(&out, path, force, 0644, err);
    if (st != MN_OK)
        return st;
    /* PLplot writes to the temporary file through its own stream, which
     * plend closes. */
    int fd = dup(fileno(out.f));
    FILE *pf = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!pf) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        mn_file_discard(&out);
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    abort_msg[0] = pl_errmsg[0] = '\0';
    pl_errcode = 0;
    if (setjmp(exit_jump)) {
        broken = 1;
        handlers(0);
        mn_file_discard(&out);
        return mn_error_set(err, MN_EIO, "%s: PLplot failed: %s", path, exit_msg);
    }
    handlers(1);
    plsError(&pl_errcode, pl_errmsg);
    plsdev(dev);
    plsfile(pf);
    plspage(0, 0, page->width, page->height, 0, 0);
    plscolbg(255, 255, 255);
    plssub(page->nx > 0 ? page->nx : 1, page->ny > 0 ? page->ny : 1);
    plinit();
    draw(ctx);
    plend();
    handlers(0);
    if (abort_msg[0] || pl_errcode) {
        mn_file_discard(&out);
        return mn_error_set(err, MN_EIO, "%s: the figure could not be drawn: %s", path,
                            abort_msg[0] ? abort_msg : pl_errmsg);
    }
    if (!file_whole(out.tmp, !strcmp(dev, "svgcairo"))) {
        mn_file_discard(&out);
        return mn_error_set(err, MN_EIO,
                            "%s: cannot write: the figure was not written whole (is "
                            "the disk full?)",
                            path);
    }
    return mn_file_commit(&out, err);
}

mn_status mn_plot_render(const char *path, int force, const mn_plot_page *page,
                         void (*draw)(void *ctx), void *ctx, mn_error *err)
{
    const char *dev = mn_plot_device_for(path);
    if (!dev)
        return mn_error_set(err, MN_EINVAL, "%s: figure files must end in .png or .svg",
                            path ? path : "");
    if (!page || page->width <= 0 || page->height <= 0 || !draw)
        return mn_error_set(err, MN_EINVAL, "%s: no page or nothing to draw", path);
    pthread_mutex_lock(&plot_lock);
    mn_status st =
        broken ? mn_error_set(err, MN_EIO,
                              "%s: cannot draw: PLplot failed earlier in this process "
                              "(%s)",
                              path, exit_msg)
               : render_locked(path, dev, force, page, draw, ctx, err);
    pthread_mutex_unlock(&plot_lock);
    return st;
}

/* ---- the depth section ------------------------------------------------- */

static void fill_rect(double x0, double x1, double y0, double y1)
{
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    plfill(4, x, y);
}

typedef struct {
    const mn_skin *skin;
    const mn_depth_result *r;
    double needle_um, bottom, half; /* depths in um, drawn downwards */
    const char *title;
} section_ctx;

/* Layers: stratum corneum, viable epidermis, papillary and reticular
 * dermis, subcutis. */
static const int layer_rgb[5][3] = {{214, 170, 120},
                                    {240, 200, 170},
                                    {246, 170, 170},
                                    {230, 140, 140},
                                    {250, 235, 160}};
static const char *const layer_names[5] = {"stratum corneum", "viable epidermis",
                                           "papillary dermis", "reticular dermis",
                                           "subcutis"};

static void section_layers(const section_ctx *s)
{
    double z = 0, half = s->half;
    for (int l = 0; l < 5; l++) {
        double t = l < 4 ? s->skin->thickness_m[l] * 1e6 : s->bottom - z;
        plscol0(15, layer_rgb[l][0], layer_rgb[l][1], layer_rgb[l][2]);
        plcol0(15);
        fill_rect(-half, half, -(z + t), -z);
        z += t;
    }
    /* Capillary loops: dashed line. */
    plscol0(14, 180, 0, 0);
    plcol0(14);
    pllsty(2);
    double cap = -s->skin->capillary_loop_depth_m * 1e6;
    PLFLT cx[2] = {-half, half}, cy[2] = {cap, cap};
    plline(2, cx, cy);
    pllsty(1);
    plptex(half * 0.95, cap - s->bottom * 0.02, 1, 0, 1, "capillary loops");
}

/* Needle outline (full length, dotted) and the channel (filled). */
static void section_needle(const section_ctx *s)
{
    double d = s->r->depth_m * 1e6, w = s->r->width_m * 1e6 * 0.5, L = s->needle_um;
    plscol0(13, 60, 60, 60);
    plcol0(13);
    pllsty(3);
    PLFLT nx[3] = {-L * 0.04, 0, L * 0.04}, ny[3] = {0, -L, 0};
    plline(3, nx, ny);
    pllsty(1);
    if (d > 0) {
        plscol0(12, 40, 40, 120);
        plcol0(12);
        PLFLT tx[3] = {-w, 0, w}, ty[3] = {0, -d, 0};
        plfill(3, tx, ty);
    }
}

/* Legend of the layers at the right. */
static void section_legend(const section_ctx *s)
{
    plvpor(0.72, 0.99, 0.12, 0.9);
    plwind(0, 1, 0, 1);
    for (int l = 0; l < 5; l++) {
        plscol0(15, layer_rgb[l][0], layer_rgb[l][1], layer_rgb[l][2]);
        plcol0(15);
        fill_rect(0.02, 0.12, 0.9 - l * 0.08, 0.95 - l * 0.08);
        plcol0(1);
        plptex(0.15, 0.91 - l * 0.08, 1, 0, 0, layer_names[l]);
    }
    char line[128];
    snprintf(line, sizeof line, "channel %.0f um", s->r->depth_m * 1e6);
    plptex(0.02, 0.4, 1, 0, 0, line);
    snprintf(line, sizeof line, "needle %.0f um", s->needle_um);
    plptex(0.02, 0.34, 1, 0, 0, line);
}

static void draw_section(void *ctx)
{
    const section_ctx *s = ctx;
    pladv(0);
    plvpor(0.12, 0.70, 0.12, 0.9);
    plsyax(6, 0); /* plain numbers, no "x10^3" */
    plsxax(6, 0);
    plwind(-s->half, s->half, -s->bottom, 0);
    section_layers(s);
    section_needle(s);
    plscol0(1, 0, 0, 0);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab("width (um)", "depth below surface (um, up = surface)",
          s->title ? s->title : "");
    section_legend(s);
}

mn_status mn_plot_depth_section(const char *path, const mn_skin *skin,
                                const mn_depth_result *r, double needle_length_m,
                                const char *title, int force, mn_error *err)
{
    if (!skin || !r)
        return mn_error_set(err, MN_EINVAL, "%s: no skin or no depth to draw",
                            path ? path : "");
    section_ctx s = {skin, r, needle_length_m * 1e6, 0, 0, title};
    s.bottom = mn_skin_total(skin) * 1e6 * 1.25;
    if (s.needle_um > s.bottom)
        s.bottom = s.needle_um * 1.05;
    s.half = 0.6 * s.bottom;
    mn_plot_page page = {900, 700, 1, 1};
    return mn_plot_render(path, force, &page, draw_section, &s, err);
}
