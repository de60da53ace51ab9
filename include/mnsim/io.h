/* Atomic output files: write to a temporary file beside the target, then rename, so a reader
 * never sees a half-written result and a killed run leaves the old file or none. */
#ifndef MNSIM_IO_H
#define MNSIM_IO_H

#include "mnsim/export.h"

#include <stdio.h>

#include "mnsim/error.h"

typedef struct mn_atomic_file mn_atomic_file;

/* Opens a temporary file in the directory of `path`. */
MN_EXPORT int mn_atomic_open(const char *path, mn_atomic_file **out, mn_error *err);
/* mn_atomic_open of the file `name` in directory `dir` (the one way the writers of a run's files
 * open them: join, open beside the target, write, commit). */
MN_EXPORT int mn_atomic_open_in(const char *dir, const char *name, mn_atomic_file **out,
                                mn_error *err);
/* The stream to write to; valid until commit or abort. */
MN_EXPORT FILE *mn_atomic_stream(mn_atomic_file *file);
/* Flushes, fsyncs, closes and renames onto the target; frees *file and sets it to NULL.
 * On any write error the temporary is removed and the target is left untouched. */
MN_EXPORT int mn_atomic_commit(mn_atomic_file **file, mn_error *err);
/* Removes the temporary and frees *file; safe on NULL. */
MN_EXPORT void mn_atomic_abort(mn_atomic_file **file);

/* Writes `size` bytes to `path` atomically. */
MN_EXPORT int mn_atomic_write(const char *path, const void *data, size_t size, mn_error *err);

/* An output directory held for one run (docs/reliability.md): mn_outdir_open creates it (with
 * its parents), takes an exclusive lock on it (flock on a descriptor of the directory) for as
 * long as it is open, so a second run into the same directory fails at once with "DIR is in
 * use by another mnsim run" (MN_EIO); checks that files can be created there (a temporary
 * file created and removed: a read-only or forbidden directory fails here, before any work);
 * and removes the temporaries a killed run left behind (NAME.tmp.XXXXXX, 6 hex digits, from
 * mn_atomic_open) — safe under the lock, as no other run writes there. */
typedef struct mn_outdir mn_outdir;
MN_EXPORT int mn_outdir_open(const char *dir, mn_outdir **out, mn_error *err);
/* Releases the lock; safe on NULL. */
MN_EXPORT void mn_outdir_close(mn_outdir **d);

/* Creates a directory and its parents (like mkdir -p). */
MN_EXPORT int mn_mkdir_p(const char *path, mn_error *err);

/* Joins directory and file name into buf; fails when it does not fit. */
MN_EXPORT int mn_path_join(char *buf, size_t size, const char *dir, const char *name,
                           mn_error *err);

#endif
