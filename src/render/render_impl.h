/* Private drawing helpers of the renderer. */
#ifndef MN_RENDER_IMPL_H
#define MN_RENDER_IMPL_H

#include "mnsim/render.h"

/* Fills a rectangle (clipped). */
void mn__image_fill(mn_image *img, long x, long y, long w, long h, const unsigned char rgb[3]);
/* Draws upper-case text in a 5x7 pixel font scaled by `scale`; lower case is drawn as upper
 * case, unknown characters as blanks. Returns the width drawn. */
long mn__image_text(mn_image *img, long x, long y, int scale, const char *text,
                    const unsigned char rgb[3]);
/* Width of text drawn at scale. */
long mn__text_width(const char *text, int scale);
/* Copies src into dst at (x, y), averaging factor x factor blocks (box down-sampling). */
void mn__image_blit_down(mn_image *dst, long x, long y, const mn_image *src, int factor);

/* Scratch memory of mn_render_skin for maps of one size, so that several pictures of a run
 * allocate (and the kernel zero-fills) it once: ~42 MB for a 1000 x 1000 map. */
typedef struct mn__skin_work mn__skin_work;
int mn__skin_work_create(size_t w, size_t h, mn__skin_work **out, mn_error *err);
void mn__skin_work_free(mn__skin_work **work);
/* mn_render_skin with the given scratch memory (made for the map's size). */
int mn__render_skin_with(const mn_field *height, const mn_skin_look *look, mn__skin_work *work,
                         mn_image **out, mn_error *err);

#endif
