/* The web app's HTTP pieces (floor: web): growing text, the replies with
 * their security headers, the query and form values, the files of the
 * private folder. Every other file of the web app uses them; they call
 * none of them. */
#include "web_internal.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- text ------------------------------------------------------------ */

void web_buf_add(web_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void web_buf_puts(web_buf *b, const char *s)
{
    web_buf_add(b, s, strlen(s));
}

void web_buf_printf(web_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        web_buf_add(b, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    web_buf_add(b, big, (size_t)n);
    free(big);
}

void web_buf_html(web_buf *b, const char *s)
{
    if (!s)
        return;
    for (; *s; s++) {
        switch (*s) {
        case '&': web_buf_puts(b, "&amp;"); break;
        case '<': web_buf_puts(b, "&lt;"); break;
        case '>': web_buf_puts(b, "&gt;"); break;
        case '"': web_buf_puts(b, "&quot;"); break;
        case '\'': web_buf_puts(b, "&#39;"); break;
        default: web_buf_add(b, s, 1);
        }
    }
}

void web_buf_free(web_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

/* ---- replies ----------------------------------------------------------- */

/* Pages and the API: nothing from elsewhere, no framing by other sites. */
static const char csp_app[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'";
/* A run's report.html: its own inline style and embedded figures, no script. */
static const char csp_report[] =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'; sandbox";

enum MHD_Result web_queue(web_req *r, unsigned status, struct MHD_Response *resp,
                          const char *type)
{
    if (!resp)
        return MHD_NO;
    if (type)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    int report = type && !strncmp(type, "text/html", 9) && r->path &&
                 !strncmp(r->path, "/runs/", 6) && strstr(r->path, "/files/");
    MHD_add_response_header(resp, "Content-Security-Policy",
                            report ? csp_report : csp_app);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* same-origin: forms POSTed from our pages carry our Origin (no-referrer
     * would make it "null"); other sites learn nothing. */
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(r->conn, status, resp);
    MHD_destroy_response(resp);
    return ret;
}

enum MHD_Result web_reply(web_req *r, unsigned status, const char *type,
                          const char *text, size_t n)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(n, (void *)text, MHD_RESPMEM_MUST_COPY);
    return web_queue(r, status, resp, type);
}

enum MHD_Result web_reply_json(web_req *r, unsigned status, mn_json *j)
{
    char *text = j ? mn_json_text(j) : NULL;
    mn_json_free(j);
    if (!text)
        return web_reply(r, 500, "text/plain", "out of memory\n", 14);
    enum MHD_Result ret = web_reply(r, status, "application/json", text, strlen(text));
    free(text);
    return ret;
}

enum MHD_Result web_reply_error(web_req *r, unsigned status, const char *message)
{
    mn_json *j = mn_json_new();
    if (j) {
        mn_json_str(j, mn_json_root(j), "error", message);
        mn_json_int(j, mn_json_root(j), "status", status);
    }
    return web_reply_json(r, status, j);
}

enum MHD_Result web_redirect(web_req *r, const char *location)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (resp)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, location);
    return web_queue(r, 303, resp, "text/plain");
}

/* ---- requests ---------------------------------------------------------- */

const char *web_query(web_req *r, const char *key)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
}

char *web_form(web_req *r, const char *key)
{
    char *value;
    int st = web_form_field(r->body, r->body_n, key, &value);
    return st == WEB_FORM_FOUND ? value : NULL;
}

void web_temp_path(web_server *s, const char *prefix, const char *ext, char *buf,
                   size_t n)
{
    pthread_mutex_lock(&s->counter_lock);
    uint64_t k = ++s->counter;
    pthread_mutex_unlock(&s->counter_lock);
    snprintf(buf, n, "%s/%s-%llu.%s", s->work, prefix, (unsigned long long)k, ext);
}

char *web_read_file(const char *path, size_t max, size_t *n)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return NULL;
    struct stat st;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= max &&
        (data = malloc((size_t)st.st_size + 1))) {
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t k = read(fd, data + got, (size_t)st.st_size - got);
            if (k <= 0)
                break;
            got += (size_t)k;
        }
        data[got] = '\0';
        *n = got;
    }
    close(fd);
    return data;
}
