/* Figures with PLplot (cairo driver), written atomically. */
#include "mnsim/plot.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <plplot.h>

const char *mn_plot_device_for(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n > 4 && !strcmp(path + n - 4, ".png"))
        return "pngcairo";
    if (n > 4 && !strcmp(path + n - 4, ".svg"))
        return "svgcairo";
    return NULL;
}

mn_status mn_plot_commit(const char *tmp, const char *path, mn_error *err)
{
    struct stat st;
    if (stat(tmp, &st) != 0 || st.st_size == 0) {
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: the figure could not be drawn", path);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return mn_error_set(err, MN_EIO, "%s: cannot write: %s", path, strerror(e));
    }
    return MN_OK;
}

static void fill_rect(double x0, double x1, double y0, double y1)
{
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    plfill(4, x, y);
}

mn_status mn_plot_depth_section(const char *path, const mn_skin *skin,
                                const mn_depth_result *r, double needle_length_m,
                                const char *title, mn_error *err)
{
    const char *dev = mn_plot_device_for(path);
    if (!dev)
        return mn_error_set(err, MN_EINVAL,
                            "%s: figure files must end in .png or .svg", path);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    /* Depths in um, positive downwards drawn as negative y. */
    double total = mn_skin_total(skin) * 1e6;
    double bottom = total * 1.25;
    if (needle_length_m * 1e6 > bottom)
        bottom = needle_length_m * 1e6 * 1.05;
    double half = 0.6 * bottom;

    plsdev(dev);
    plsfnam(tmp);
    plspage(0, 0, 900, 700, 0, 0);
    plscolbg(255, 255, 255);
    plinit();
    pladv(0);
    plvpor(0.12, 0.70, 0.12, 0.9);
    plsyax(6, 0); /* plain numbers, no "x10^3" */
    plsxax(6, 0);
    plwind(-half, half, -bottom, 0);

    /* Layers: stratum corneum, viable epidermis, papillary and reticular
     * dermis, subcutis. */
    static const int rgb[5][3] = {{214, 170, 120}, {240, 200, 170}, {246, 170, 170},
                                  {230, 140, 140}, {250, 235, 160}};
    static const char *names[5] = {"stratum corneum", "viable epidermis",
                                   "papillary dermis", "reticular dermis", "subcutis"};
    double z = 0;
    for (int l = 0; l < 5; l++) {
        double t = l < 4 ? skin->thickness_m[l] * 1e6 : bottom - z;
        plscol0(15, rgb[l][0], rgb[l][1], rgb[l][2]);
        plcol0(15);
        fill_rect(-half, half, -(z + t), -z);
        z += t;
    }
    /* Capillary loops: dashed line. */
    plscol0(14, 180, 0, 0);
    plcol0(14);
    pllsty(2);
    PLFLT cx[2] = {-half, half}, cy[2] = {-skin->capillary_loop_depth_m * 1e6,
                                           -skin->capillary_loop_depth_m * 1e6};
    plline(2, cx, cy);
    pllsty(1);
    plptex(half * 0.95, cy[0] - bottom * 0.02, 1, 0, 1, "capillary loops");

    /* Needle outline (full length, dotted) and the channel (filled). */
    double d = r->depth_m * 1e6, w = r->width_m * 1e6 * 0.5;
    plscol0(13, 60, 60, 60);
    plcol0(13);
    pllsty(3);
    double L = needle_length_m * 1e6;
    PLFLT nx[3] = {-L * 0.04, 0, L * 0.04}, ny[3] = {0, -L, 0};
    plline(3, nx, ny);
    pllsty(1);
    if (d > 0) {
        plscol0(12, 40, 40, 120);
        plcol0(12);
        PLFLT tx[3] = {-w, 0, w}, ty[3] = {0, -d, 0};
        plfill(3, tx, ty);
    }
    plcol0(1);
    plscol0(1, 0, 0, 0);
    plcol0(1);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    pllab("width (um)", "depth below surface (um, up = surface)", title ? title : "");
    /* Legend of layers at the right. */
    plvpor(0.72, 0.99, 0.12, 0.9);
    plwind(0, 1, 0, 1);
    for (int l = 0; l < 5; l++) {
        plscol0(15, rgb[l][0], rgb[l][1], rgb[l][2]);
        plcol0(15);
        fill_rect(0.02, 0.12, 0.9 - l * 0.08, 0.95 - l * 0.08);
        plcol0(1);
        plptex(0.15, 0.91 - l * 0.08, 1, 0, 0, names[l]);
    }
    char line[128];
    snprintf(line, sizeof line, "channel %.0f um", d);
    plptex(0.02, 0.4, 1, 0, 0, line);
    snprintf(line, sizeof line, "needle %.0f um", L);
    plptex(0.02, 0.34, 1, 0, 0, line);
    plend();
    return mn_plot_commit(tmp, path, err);
}
