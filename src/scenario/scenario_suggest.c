/* "Did you mean ...?" for unknown scenario field paths (scenario_fields.h): the nearest names of
 * the field table instead of the whole table, which does not fit in one message. */
#include <stdio.h>

#include "core/mn_suggest.h"
#include "scenario/scenario_fields.h"

size_t mn__field_nearest(const char *path, const char **names, size_t max)
{
    mn__suggest s;
    mn__suggest_init(&s, path);
    for (size_t i = 0; i < mn__scenario_field_count; ++i)
        mn__suggest_offer(&s, mn__scenario_fields[i].path);
    size_t n = 0;
    for (; n < (size_t)s.count && n < max; ++n)
        names[n] = s.names[n];
    return n;
}

int mn__field_unknown(const char *what, const char *path, mn_error *err)
{
    const char *near[MN__SUGGEST_MAX];
    const size_t n = mn__field_nearest(path, near, MN__SUGGEST_MAX);
    if (n == 0)
        return mn_error_set(err, MN_ESCENARIO,
                            "%s: %s: unknown field (`mnsim schema` lists the fields)", what, path);
    /* "a", "a or b", "a, b or c" */
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n && used < sizeof list; ++i) {
        int w = snprintf(list + used, sizeof list - used, "%s%s",
                         i == 0 ? "" : (i + 1 == n ? " or " : ", "), near[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return mn_error_set(err, MN_ESCENARIO, "%s: %s: unknown field; did you mean %s?", what, path,
                        list);
}
