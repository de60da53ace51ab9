/* Nearest names to a mistyped one, for "did you mean ...?" messages (private to the library
 * and the CLI). One measure and one cut-off serve every caller (unknown scenario fields in
 * --set, unknown command-line options and commands), so they suggest alike. */
#ifndef MN_SUGGEST_H
#define MN_SUGGEST_H

/* At most this many names of the same distance are kept (more would be a list, not a hint). */
#define MN__SUGGEST_MAX 3

typedef struct mn__suggest {
    const char *word;                   /* what was typed */
    int best;                           /* edit distance of the names kept */
    int count;                          /* names kept; 0: none near enough */
    const char *names[MN__SUGGEST_MAX]; /* in the order they were offered */
} mn__suggest;

/* Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring characters count 1 each (a swap is the commonest typo, "pateint"). Words longer
 * than 127 characters are never near anything (a large value). */
int mn__edit_distance(const char *a, const char *b);

void mn__suggest_init(mn__suggest *s, const char *word);
/* Offers one known name: kept when it is at least as near as the nearest so far and near
 * enough to be a typo of the word (distance at most a third of the word's length, at least 1,
 * and less than the name's own length). A name that begins with the word (of 3 characters or
 * more) counts as distance 1: an option or field typed only in part. */
void mn__suggest_offer(mn__suggest *s, const char *name);

#endif
