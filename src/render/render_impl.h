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

#endif
