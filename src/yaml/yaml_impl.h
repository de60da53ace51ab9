/* The node tree shared by the loader (yaml_load.c) and the accessors (yaml_read.c). */
#ifndef MN_YAML_IMPL_H
#define MN_YAML_IMPL_H

#include "mnsim/yaml.h"

struct mn_yaml_node {
    const mn_yaml_doc *doc; /* for the file name in messages */
    mn_yaml_kind kind;
    bool plain;                 /* an unquoted scalar: only these can be null */
    bool open;                  /* still being built: an alias to it would make a cycle */
    int height;                 /* collections nested in it, itself included (a scalar: 0) */
    unsigned long line, column; /* 1-based */
    char *value;                /* scalar text, NUL-terminated */
    size_t length;
    /* Sequence items, or a mapping's keys and values alternating (count = 2 × pairs). */
    const mn_yaml_node **children;
    size_t count, capacity;
};

/* Nodes are allocated in chunks so that their addresses stay fixed while the tree grows. */
#define MN__YAML_CHUNK 256
typedef struct mn__yaml_chunk {
    struct mn__yaml_chunk *next;
    size_t used;
    mn_yaml_node nodes[MN__YAML_CHUNK];
} mn__yaml_chunk;

struct mn_yaml_doc {
    char *name;
    const mn_yaml_node *root;
    bool empty;             /* the text held no document: root is null_root */
    mn_yaml_node null_root; /* a null scalar at 1:1 */
    mn__yaml_chunk *chunks; /* newest first */
    size_t node_count;
};

#endif
