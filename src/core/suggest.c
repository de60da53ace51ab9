/* Nearest names by edit distance (mn_suggest.h). */
#include "core/mn_suggest.h"

#include <string.h>

#define MAX_LEN 127
#define FAR (1 << 20)

int mn__edit_distance(const char *a, const char *b)
{
    const size_t n = strlen(a), m = strlen(b);
    if (n > MAX_LEN || m > MAX_LEN)
        return FAR;
    /* Three rows of the dynamic-programming table: the swap rule looks two rows back. */
    int rows[3][MAX_LEN + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; ++j)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; ++i) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; ++j) {
            const int cost = a[i - 1] != b[j - 1];
            int d = prev[j - 1] + cost;
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < d)
                d = prev2[j - 2] + 1;
            cur[j] = d;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

void mn__suggest_init(mn__suggest *s, const char *word)
{
    memset(s, 0, sizeof *s);
    s->word = word;
    s->best = FAR;
}

void mn__suggest_offer(mn__suggest *s, const char *name)
{
    const int len = (int)strlen(s->word);
    const int limit = len / 3 > 1 ? len / 3 : 1;
    int d = mn__edit_distance(s->word, name);
    /* A name begun but not finished ("--mark" for --markdown) is as near as one typo. */
    if (d > 1 && len >= 3 && len < (int)strlen(name) && !strncmp(name, s->word, (size_t)len))
        d = 1;
    if (d > limit || d >= (int)strlen(name) || d > s->best)
        return;
    if (d < s->best) {
        s->best = d;
        s->count = 0;
    }
    if (s->count < MN__SUGGEST_MAX)
        s->names[s->count++] = name;
}
