#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#ifdef MNSIM_HAVE_JPEG
#include <jpeglib.h>

unsigned char *mn_test_jpeg_rgb(unsigned w, unsigned h, const unsigned char rgb[3],
                                unsigned long *size)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *buf = NULL;
    *size = 0;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, size);
    c.image_width = w;
    c.image_height = h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc(3 * (size_t)w);
    for (size_t x = 0; x < 3 * (size_t)w; ++x)
        row[x] = rgb[x % 3];
    while (c.next_scanline < c.image_height) {
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return buf;
}
#endif

const char *mn_test_tmpdir(char *buf, size_t size)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, size, "%s/mnsim-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(buf))
        fail_msg("mkdtemp failed for %s", buf);
    return buf;
}

const char *mn_test_write(char *buf, size_t size, const char *dir, const char *name,
                          const char *text)
{
    snprintf(buf, size, "%s/%s", dir, name);
    FILE *f = fopen(buf, "wb");
    if (!f)
        fail_msg("cannot write %s", buf);
    fputs(text, f);
    fclose(f);
    return buf;
}

int mn_test_run(const char *command, char *out, size_t out_size)
{
    char full[8192];
    snprintf(full, sizeof full, "MNSIM_NO_PROGRESS=1 %s 2>&1", command);
    FILE *p = popen(full, "r");
    if (!p)
        fail_msg("popen failed: %s", command);
    size_t used = 0;
    if (out && out_size)
        out[0] = '\0';
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) {
        if (out && used + 1 < out_size) {
            size_t take = n < out_size - 1 - used ? n : out_size - 1 - used;
            memcpy(out + used, chunk, take);
            used += take;
            out[used] = '\0';
        }
    }
    int status = pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status)
                             : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

char *mn_test_read(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        if (size)
            *size = (size_t)n;
    }
    return buf;
}

void mn_test_rmtree(const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
}

void mn_test_field_refused(mn_test_field_reader read, const void *b, size_t n, const char *name,
                           int code, const char *needle)
{
    mn_field *f = (mn_field *)(uintptr_t)1; /* must be reset to NULL */
    mn_error err;
    mn_error_clear(&err);
    int rc = read(b, n, name, &f, &err);
    assert_int_equal_msg(rc, code, err.message);
    assert_null(f);
    assert_true_msg(strstr(err.message, name) == err.message, "message '%s'", err.message);
    assert_true_msg(strstr(err.message, needle) != NULL, "message '%s' lacks '%s'", err.message,
                    needle);
}

void mn_test_corpus_each(const char *sub,
                         void (*each)(const char *path, const char *name, void *user), void *user)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/fuzz/corpus/%s", MNSIM_SOURCE_DIR, sub);
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        each(path, e->d_name, user);
        ++files;
    }
    closedir(d);
    assert_true_msg(files > 0, "%s is empty", dir);
}
