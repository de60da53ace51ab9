/* Writing strings as YAML double-quoted scalars that the reader gives back unchanged. */
#include <stdio.h>
#include <string.h>

#include "mnsim/yaml.h"

/* The code point of the UTF-8 sequence at s (its length in *len), or -1 when s does not start
 * a well-formed one (overlong forms, surrogates and values past U+10FFFF are not). */
static long utf8_decode(const unsigned char *s, int *len)
{
    static const long min[5] = {0, 0, 0x80, 0x800, 0x10000};
    int n = s[0] < 0xC0 ? 0 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] < 0xF8 ? 4 : 0;
    if (!n)
        return -1;
    long cp = s[0] & (0x7F >> n);
    for (int i = 1; i < n; ++i) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = n;
    return cp;
}

/* Characters libyaml's reader refuses or folds inside a double-quoted scalar, written as
 * escapes: C0 and C1 controls and DEL (a raw NEL U+0085, LINE and PARAGRAPH SEPARATOR would
 * read as line breaks and fold into spaces), and U+FEFF, U+FFFE, U+FFFF (not printable). */
static int needs_escape(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

size_t mn_yaml_quote(char *buf, size_t size, const char *s)
{
    size_t used = 0;
    char piece[12];
/* Appends n bytes of p, truncating at the end of buf but counting the whole length. */
#define PUT(p, n)                                                                                  \
    do {                                                                                           \
        size_t n_ = (n);                                                                           \
        if (used < size)                                                                           \
            memcpy(buf + used, p, used + n_ < size ? n_ : size - used);                            \
        used += n_;                                                                                \
    } while (0)
    PUT("\"", 1);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;) {
        int len = 1;
        long cp = *p < 0x80 ? *p : utf8_decode(p, &len);
        if (cp == '"' || cp == '\\') {
            piece[0] = '\\';
            piece[1] = (char)cp;
            PUT(piece, 2);
        } else if (cp == '\n' || cp == '\t' || cp == '\r') {
            PUT(cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : "\\r", 2);
        } else if (cp < 0) {
            /* Not UTF-8: YAML cannot carry the byte; \xHH keeps it visible. */
            PUT(piece, (size_t)snprintf(piece, sizeof piece, "\\x%02X", *p));
        } else if (needs_escape(cp)) {
            PUT(piece,
                (size_t)snprintf(piece, sizeof piece, cp <= 0xFF ? "\\x%02lX" : "\\u%04lX", cp));
        } else {
            PUT(p, (size_t)len);
        }
        p += len;
    }
    PUT("\"", 1);
#undef PUT
    if (size)
        buf[used < size ? used : size - 1] = '\0';
    return used;
}
