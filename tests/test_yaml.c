#define _POSIX_C_SOURCE 200809L
/* The YAML reader (mnsim/yaml.h): the tree, every accessor, every error with its exact message,
 * and the limits that make hostile input fail fast. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnsim/yaml.h"
#include "testutil.h"

static mn_yaml_doc *load(const char *text)
{
    mn_yaml_doc *doc = NULL;
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_yaml_load_string(text, strlen(text), "t.yaml", NULL, &doc, &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    assert_non_null(doc);
    return doc;
}

/* `size` bytes of text load within `limits`. */
static void expect_loads(const char *text, size_t size, const mn_yaml_limits *limits)
{
    mn_yaml_doc *doc = NULL;
    mn_error err;
    int rc = mn_yaml_load_string(text, size, "t", limits, &doc, &err);
    assert_int_equal_msg(rc, MN_OK, err.message);
    mn_yaml_free(&doc);
}

/* Loading `text` fails with exactly `message` (and MN_ESCENARIO). */
static void expect_load_error(const char *text, size_t size, const mn_yaml_limits *limits,
                              const char *message)
{
    mn_yaml_doc *doc = (mn_yaml_doc *)1;
    mn_error err;
    mn_error_clear(&err);
    int rc = mn_yaml_load_string(text, size, "t.yaml", limits, &doc, &err);
    assert_int_equal_msg(rc, MN_ESCENARIO, text);
    assert_null(doc);
    assert_string_equal(err.message, message);
}

static void test_tree(void **state)
{
    (void)state;
    mn_yaml_doc *doc = load("# a comment\n"
                            "a: 1\n"
                            "b:\n"
                            "  - x\n"
                            "  - 'y'\n"
                            "  - {c: ~, d: \"\"}\n"
                            "e: null\n");
    assert_string_equal(mn_yaml_name(doc), "t.yaml");
    assert_false(mn_yaml_empty(doc));
    const mn_yaml_node *root = mn_yaml_root(doc);
    assert_ptr_equal(mn_yaml_node_doc(root), doc);
    assert_int_equal(mn_yaml_kind_of(root), MN_YAML_MAPPING);
    assert_string_equal(mn_yaml_describe(root), "a mapping");
    assert_null(mn_yaml_scalar(root));
    assert_int_equal(mn_yaml_count(root), 3);
    assert_int_equal(mn_yaml_line(root), 2);
    assert_int_equal(mn_yaml_column(root), 1);
    /* Pairs in file order, keys and values with their positions. */
    assert_string_equal(mn_yaml_scalar(mn_yaml_key(root, 0)), "a");
    assert_string_equal(mn_yaml_scalar(mn_yaml_value(root, 0)), "1");
    assert_int_equal(mn_yaml_column(mn_yaml_value(root, 0)), 4);
    assert_string_equal(mn_yaml_scalar(mn_yaml_key(root, 2)), "e");
    assert_null(mn_yaml_key(root, 3));
    assert_null(mn_yaml_value(root, 3));
    assert_null(mn_yaml_item(root, 0)); /* not a sequence */
    const mn_yaml_node *b = mn_yaml_get(root, "b");
    assert_ptr_equal(b, mn_yaml_value(root, 1));
    assert_null(mn_yaml_get(root, "zz"));
    assert_int_equal(mn_yaml_kind_of(b), MN_YAML_SEQUENCE);
    assert_string_equal(mn_yaml_describe(b), "a list");
    assert_int_equal(mn_yaml_count(b), 3);
    assert_int_equal(mn_yaml_line(b), 4);
    assert_int_equal(mn_yaml_column(b), 3);
    assert_string_equal(mn_yaml_scalar(mn_yaml_item(b, 0)), "x");
    assert_string_equal(mn_yaml_describe(mn_yaml_item(b, 0)), "a scalar");
    assert_string_equal(mn_yaml_scalar(mn_yaml_item(b, 1)), "y");
    assert_null(mn_yaml_item(b, 3));
    assert_null(mn_yaml_key(b, 0)); /* not a mapping */
    const mn_yaml_node *m = mn_yaml_item(b, 2);
    assert_int_equal(mn_yaml_line(m), 6);
    assert_int_equal(mn_yaml_column(m), 5);
    /* Null: unquoted empty, ~, null, Null; a quoted "" is text. */
    assert_true(mn_yaml_is_null(mn_yaml_get(m, "c")));
    assert_string_equal(mn_yaml_describe(mn_yaml_get(m, "c")), "nothing");
    assert_false(mn_yaml_is_null(mn_yaml_get(m, "d")));
    assert_string_equal(mn_yaml_scalar(mn_yaml_get(m, "d")), "");
    assert_true(mn_yaml_is_null(mn_yaml_get(root, "e")));
    assert_false(mn_yaml_is_null(mn_yaml_item(b, 0)));
    assert_false(mn_yaml_is_null(b));
    assert_int_equal(mn_yaml_count(mn_yaml_item(b, 0)), 0);
    mn_yaml_free(&doc);
    assert_null(doc);
    mn_yaml_free(&doc); /* safe on NULL */
    mn_yaml_free(NULL);
}

static void test_empty_and_explicit_null(void **state)
{
    (void)state;
    const char *empty[] = {"", "# only a comment\n", "\n\n"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; ++i) {
        mn_yaml_doc *doc = load(empty[i]);
        assert_true(mn_yaml_empty(doc));
        const mn_yaml_node *root = mn_yaml_root(doc);
        assert_non_null(root);
        assert_true(mn_yaml_is_null(root));
        assert_int_equal(mn_yaml_line(root), 1);
        assert_int_equal(mn_yaml_column(root), 1);
        mn_yaml_free(&doc);
    }
    /* `---` and `~` are documents whose root is null: not "empty". */
    const char *null_docs[] = {"---\n", "~\n"};
    for (size_t i = 0; i < 2; ++i) {
        mn_yaml_doc *doc = load(null_docs[i]);
        assert_false(mn_yaml_empty(doc));
        assert_true(mn_yaml_is_null(mn_yaml_root(doc)));
        mn_yaml_free(&doc);
    }
}

static void test_aliases_share_their_anchor(void **state)
{
    (void)state;
    mn_yaml_doc *doc = load("a: &x {k: 1}\nb: *x\nc: &s 5\nd: *s\n");
    const mn_yaml_node *root = mn_yaml_root(doc);
    assert_ptr_equal(mn_yaml_get(root, "a"), mn_yaml_get(root, "b"));
    assert_string_equal(mn_yaml_scalar(mn_yaml_get(root, "d")), "5");
    mn_yaml_free(&doc);
    /* A later anchor of the same name replaces the earlier one. */
    doc = load("a: &x 1\nb: &x 2\nc: *x\n");
    assert_string_equal(mn_yaml_scalar(mn_yaml_get(mn_yaml_root(doc), "c")), "2");
    mn_yaml_free(&doc);
}

/* mn_yaml_double and friends read `text`'s value of key v and fail with `message`. */
static const mn_yaml_node *value_of(mn_yaml_doc **doc, const char *text)
{
    *doc = load(text);
    const mn_yaml_node *v = mn_yaml_get(mn_yaml_root(*doc), "v");
    assert_non_null(v);
    return v;
}

static void expect_double_error(const char *text, const mn_yaml_range *range, const char *message)
{
    mn_yaml_doc *doc;
    const mn_yaml_node *v = value_of(&doc, text);
    double x = 42;
    mn_error err;
    assert_int_equal(mn_yaml_double(v, "sec.v", range, &x, &err), MN_ESCENARIO);
    assert_int_equal(err.code, MN_ESCENARIO);
    assert_string_equal(err.message, message);
    assert_true(x == 42); /* a failure leaves the output alone */
    mn_yaml_free(&doc);
}

static void test_double(void **state)
{
    (void)state;
    const mn_yaml_range age = {.min = 18, .max = 100, .unit = "years"};
    mn_yaml_doc *doc;
    mn_error err;
    double x = 0;
    const mn_yaml_node *v = value_of(&doc, "v: 61.5\n");
    assert_int_equal(mn_yaml_double(v, "sec.v", &age, &x, &err), MN_OK);
    assert_true(x == 61.5);
    assert_int_equal(mn_yaml_double(v, "sec.v", NULL, &x, &err), MN_OK);
    mn_yaml_free(&doc);
    /* Quoted numbers read as numbers, as they always did; the range is inclusive. */
    v = value_of(&doc, "v: \"18\"\n");
    assert_int_equal(mn_yaml_double(v, "sec.v", &age, &x, &err), MN_OK);
    assert_true(x == 18);
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: -1.5e-3\n");
    assert_int_equal(mn_yaml_double(v, "f", NULL, &x, &err), MN_OK);
    assert_true(x == -1.5e-3);
    mn_yaml_free(&doc);

    expect_double_error("v: [1, 2]\n", &age,
                        "t.yaml:1:4: sec.v: expected a number from 18 to 100 years, got a list");
    expect_double_error("v:\n", &age,
                        "t.yaml:1:3: sec.v: expected a number from 18 to 100 years, got nothing");
    expect_double_error("v: {a: 1}\n", NULL, "t.yaml:1:4: sec.v: expected a number, got a mapping");
    expect_double_error("v: fifty\n", &age,
                        "t.yaml:1:4: sec.v: 'fifty' is not a finite number (expected 18 to 100 "
                        "years)");
    expect_double_error("v: .nan\n", NULL, "t.yaml:1:4: sec.v: '.nan' is not a finite number");
    expect_double_error("v: .inf\n", NULL, "t.yaml:1:4: sec.v: '.inf' is not a finite number");
    expect_double_error("v: inf\n", NULL, "t.yaml:1:4: sec.v: 'inf' is not a finite number");
    expect_double_error("v: 0x10\n", NULL, "t.yaml:1:4: sec.v: '0x10' is not a finite number");
    expect_double_error("v: 1e999\n", NULL, "t.yaml:1:4: sec.v: '1e999' is not a finite number");
    expect_double_error("v: 12abc\n", NULL, "t.yaml:1:4: sec.v: '12abc' is not a finite number");
    expect_double_error("v: 230\n", &age,
                        "t.yaml:1:4: sec.v: 230 is out of range (allowed 18 to 100 years)");
    expect_double_error("v: 17.99\n", &age,
                        "t.yaml:1:4: sec.v: 17.99 is out of range (allowed 18 to 100 years)");
    /* The decimal comma, also negative and with a range. */
    expect_double_error("v: 1,5\n", &age,
                        "t.yaml:1:4: sec.v: '1,5' is not a number; use a decimal point: 1.5");
    expect_double_error("v: -0,25\n", NULL,
                        "t.yaml:1:4: sec.v: '-0,25' is not a number; use a decimal point: -0.25");
    /* Not a decimal comma: two commas, or nothing after it. */
    expect_double_error("v: 1,5,6\n", NULL, "t.yaml:1:4: sec.v: '1,5,6' is not a finite number");
    expect_double_error("v: '1,'\n", NULL, "t.yaml:1:4: sec.v: '1,' is not a finite number");
    /* Half-open ranges, a unit-less range and a note. */
    const mn_yaml_range rate = {
        .min = 0, .max = INFINITY, .unit = "1/h", .note = "literature range 0.02 to 0.35"};
    expect_double_error("v: -1\n", &rate,
                        "t.yaml:1:4: sec.v: -1 is out of range (allowed 0 or more 1/h; literature "
                        "range 0.02 to 0.35)");
    expect_double_error("v: x\n", &rate,
                        "t.yaml:1:4: sec.v: 'x' is not a finite number (expected 0 or more 1/h; "
                        "literature range 0.02 to 0.35)");
    expect_double_error("v: []\n", &rate,
                        "t.yaml:1:4: sec.v: expected a number (0 or more 1/h; literature range "
                        "0.02 to 0.35), got a list");
    const mn_yaml_range upto = {.min = -INFINITY, .max = 1};
    expect_double_error("v: 2\n", &upto,
                        "t.yaml:1:4: sec.v: 2 is out of range (allowed 1 or less)");
    const mn_yaml_range seed = {.min = 0, .max = 9007199254740992.0};
    expect_double_error("v: -4\n", &seed,
                        "t.yaml:1:4: sec.v: -4 is out of range (allowed 0 to 9.007199255e+15)");
}

static void test_int_ulong(void **state)
{
    (void)state;
    const mn_yaml_range grade = {.min = 1, .max = 4, .unit = "Glogau"};
    mn_yaml_doc *doc;
    mn_error err;
    int i = 0;
    unsigned long u = 0;
    const mn_yaml_node *v = value_of(&doc, "v: 3\n");
    assert_int_equal(mn_yaml_int(v, "p", &grade, &i, &err), MN_OK);
    assert_int_equal(i, 3);
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: 2.5\n");
    assert_int_equal(mn_yaml_int(v, "patient.photoaging", &grade, &i, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: patient.photoaging: 2.5 is not a whole number "
                                     "(expected 1 to 4 Glogau)");
    assert_int_equal(mn_yaml_int(v, "p", NULL, &i, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: p: 2.5 is not a whole number");
    assert_int_equal(i, 3);
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: 5\n");
    assert_int_equal(mn_yaml_int(v, "p", &grade, &i, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: p: 5 is out of range (allowed 1 to 4 Glogau)");
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: 1e10\n");
    assert_int_equal(mn_yaml_int(v, "p", NULL, &i, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: p: 1e10 does not fit an integer");
    mn_yaml_free(&doc);
    /* Seeds: whole numbers up to 2^53, exact. */
    const mn_yaml_range seed = {.min = 0, .max = 9007199254740992.0};
    v = value_of(&doc, "v: 9007199254740992\n");
    assert_int_equal(mn_yaml_ulong(v, "s", &seed, &u, &err), MN_OK);
    assert_true(u == 9007199254740992ul);
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: 7.5\n");
    assert_int_equal(mn_yaml_ulong(v, "simulate.seed", &seed, &u, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: simulate.seed: 7.5 is not a whole number "
                                     "(expected 0 to 9.007199255e+15)");
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: -3\n");
    assert_int_equal(mn_yaml_ulong(v, "s", NULL, &u, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: s: -3 is not a whole number from 0 to 2^53");
    mn_yaml_free(&doc);
}

static void test_bool(void **state)
{
    (void)state;
    const char *yes[] = {"true", "True", "yes"}, *no[] = {"false", "False", "no"};
    for (int k = 0; k < 3; ++k) {
        char text[32];
        mn_yaml_doc *doc;
        mn_error err;
        bool b = false;
        snprintf(text, sizeof text, "v: %s\n", yes[k]);
        assert_int_equal(mn_yaml_bool(value_of(&doc, text), "b", &b, &err), MN_OK);
        assert_true(b);
        mn_yaml_free(&doc);
        snprintf(text, sizeof text, "v: %s\n", no[k]);
        assert_int_equal(mn_yaml_bool(value_of(&doc, text), "b", &b, &err), MN_OK);
        assert_false(b);
        mn_yaml_free(&doc);
    }
    mn_yaml_doc *doc;
    mn_error err;
    bool b = true;
    assert_int_equal(mn_yaml_bool(value_of(&doc, "v: maybe\n"), "patient.smoker", &b, &err),
                     MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: patient.smoker: 'maybe' is not a boolean "
                                     "(expected true or false)");
    mn_yaml_free(&doc);
    assert_int_equal(mn_yaml_bool(value_of(&doc, "v: [true]\n"), "b", &b, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: b: expected true or false, got a list");
    assert_true(b);
    mn_yaml_free(&doc);
}

static void test_string_and_enum(void **state)
{
    (void)state;
    mn_yaml_doc *doc;
    mn_error err;
    char buf[8] = "old";
    const mn_yaml_node *v = value_of(&doc, "v: \"a: \\\"b\\\"\"\n");
    assert_int_equal(mn_yaml_string(v, "s", buf, sizeof buf, &err), MN_OK);
    assert_string_equal(buf, "a: \"b\"");
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: 1234567\n"); /* 7 characters fit 8 bytes */
    assert_int_equal(mn_yaml_string(v, "s", buf, sizeof buf, &err), MN_OK);
    assert_string_equal(buf, "1234567");
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: 12345678\n");
    assert_int_equal(mn_yaml_string(v, "title", buf, sizeof buf, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: title: too long (at most 7 characters)");
    assert_string_equal(buf, "1234567");
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: {a: b}\n");
    assert_int_equal(mn_yaml_string(v, "title", buf, sizeof buf, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: title: expected text, got a mapping");
    mn_yaml_free(&doc);

    static const char *const kinds[] = {"pen", "roller", "stamp", NULL};
    int k = -1;
    v = value_of(&doc, "v: roller\n");
    assert_int_equal(mn_yaml_enum(v, "device.kind", kinds, &k, &err), MN_OK);
    assert_int_equal(k, 1);
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: Roller\n"); /* names are exact */
    assert_int_equal(mn_yaml_enum(v, "device.kind", kinds, &k, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:4: device.kind: 'Roller' is not allowed (expected "
                                     "one of pen|roller|stamp)");
    assert_int_equal(k, 1);
    mn_yaml_free(&doc);
    v = value_of(&doc, "v: [pen]\n");
    assert_int_equal(mn_yaml_enum(v, "device.kind", kinds, &k, &err), MN_ESCENARIO);
    assert_string_equal(err.message,
                        "t.yaml:1:4: device.kind: expected one of pen|roller|stamp, got a list");
    mn_yaml_free(&doc);
}

static void test_mapping_sequence_and_fail(void **state)
{
    (void)state;
    mn_yaml_doc *doc = load("m: {a: 1}\ns: [1]\nx: 3\n");
    const mn_yaml_node *root = mn_yaml_root(doc);
    mn_error err;
    assert_int_equal(mn_yaml_mapping(mn_yaml_get(root, "m"), "m", NULL, &err), MN_OK);
    assert_int_equal(mn_yaml_sequence(mn_yaml_get(root, "s"), "s", NULL, &err), MN_OK);
    assert_int_equal(mn_yaml_mapping(mn_yaml_get(root, "s"), "arms", NULL, &err), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:2:4: arms: expected a mapping, got a list");
    assert_int_equal(mn_yaml_sequence(mn_yaml_get(root, "x"), "e", "a list of endpoints", &err),
                     MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:3:4: e: expected a list of endpoints, got a scalar");
    assert_int_equal(mn_yaml_mapping(mn_yaml_get(root, "m"), "e", NULL, &err), MN_OK);
    /* The one format, with and without a field. */
    assert_int_equal(mn_yaml_fail(&err, mn_yaml_get(root, "x"), "sec.key", "%d is %s", 3, "odd"),
                     MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:3:4: sec.key: 3 is odd");
    assert_int_equal(mn_yaml_fail(&err, root, NULL, "whole"), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:1: whole");
    assert_int_equal(mn_yaml_fail(&err, root, "", "whole"), MN_ESCENARIO);
    assert_string_equal(err.message, "t.yaml:1:1: whole");
    assert_int_equal(mn_yaml_fail(NULL, root, NULL, "no err"), MN_ESCENARIO);
    mn_yaml_free(&doc);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    const char *broken = "mnsim: 1\npatient: [\n";
    expect_load_error(broken, strlen(broken), NULL,
                      "t.yaml:3:1: broken YAML: did not find expected node content while parsing "
                      "a flow node");
    /* Tabs in indentation, at the start of the line or after spaces. */
    const char *tab1 = "a:\n\tb: 1\n";
    expect_load_error(tab1, strlen(tab1), NULL,
                      "t.yaml:2:1: tabs are not allowed for indentation in YAML; use spaces");
    const char *tab2 = "a:\n  b: 1\n \tc: 2\n";
    expect_load_error(tab2, strlen(tab2), NULL,
                      "t.yaml:3:2: tabs are not allowed for indentation in YAML; use spaces");
    /* A tab after the key is separation, not indentation: allowed. */
    mn_yaml_doc *doc = load("a:\t1\n");
    assert_string_equal(mn_yaml_scalar(mn_yaml_get(mn_yaml_root(doc), "a")), "1");
    mn_yaml_free(&doc);
    /* A second document, even an empty one. */
    const char *two = "a: 1\n---\nb: 2\n";
    expect_load_error(two, strlen(two), NULL,
                      "t.yaml:2:1: a second YAML document: one document per file");
    const char *two_empty = "a: 1\n...\n---\n";
    expect_load_error(two_empty, strlen(two_empty), NULL,
                      "t.yaml:3:1: a second YAML document: one document per file");
    /* A document marker before the only document is fine. */
    doc = load("---\na: 1\n...\n");
    assert_int_equal(mn_yaml_count(mn_yaml_root(doc)), 1);
    mn_yaml_free(&doc);
    const char *nul = "a: 1\0b";
    expect_load_error(nul, 6, NULL, "t.yaml:1:1: binary data (NUL byte): not YAML");
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    const char *top = "a: 1\nb: 2\na: 3\n";
    expect_load_error(top, strlen(top), NULL, "t.yaml:3:1: a: given twice (first on line 1)");
    const char *nested = "mnsim: 1\npatient:\n  age_years: 50\n  sex: male\n  age_years: 51\n";
    expect_load_error(nested, strlen(nested), NULL,
                      "t.yaml:5:3: patient.age_years: given twice (first on line 3)");
    const char *in_list = "t:\n  s: [{week: 0}, {week: 1, passes: 2, week: 3}]\n";
    expect_load_error(in_list, strlen(in_list), NULL,
                      "t.yaml:2:39: t.s[1].week: given twice (first on line 2)");
    const char *quoted = "a: 1\n'a': 2\n"; /* the same key, however it is written */
    expect_load_error(quoted, strlen(quoted), NULL, "t.yaml:2:1: a: given twice (first on line 1)");
    /* The same key in different mappings, and keys that differ in case, are fine. */
    mn_yaml_doc *doc = load("a: {k: 1}\nb: {k: 2}\nk: 3\nK: 4\n");
    assert_int_equal(mn_yaml_count(mn_yaml_root(doc)), 4);
    mn_yaml_free(&doc);
    /* Many keys: the check is a hash, not a scan of the earlier keys. */
    size_t n = 20000, cap = n * 16 + 16, used = 0;
    char *big = malloc(cap);
    assert_non_null(big);
    for (size_t i = 0; i < n; ++i)
        used += (size_t)snprintf(big + used, cap - used, "k%zu: %zu\n", i, i);
    used += (size_t)snprintf(big + used, cap - used, "k17: again\n");
    char msg[128];
    snprintf(msg, sizeof msg, "t.yaml:%zu:1: k17: given twice (first on line 18)", n + 1);
    expect_load_error(big, used, NULL, msg);
    free(big);
}

static void test_alias_errors(void **state)
{
    (void)state;
    const char *undefined = "a: *nope\n";
    expect_load_error(undefined, strlen(undefined), NULL,
                      "t.yaml:1:4: alias *nope: no anchor &nope before it");
    const char *cycle = "a: &x [1, *x]\n";
    expect_load_error(cycle, strlen(cycle), NULL,
                      "t.yaml:1:11: alias *x lies inside the node it names (a cycle)");
    /* An alias to a 3-deep list at depth 2 nests 5 deep: over a limit of 4. */
    const mn_yaml_limits four = {.max_bytes = 1000, .max_depth = 4, .max_nodes = 1000};
    const char *deep = "a: &x [[[1]]]\nb: [*x]\n";
    expect_load_error(deep, strlen(deep), &four,
                      "t.yaml:2:5: nested more than 4 levels deep (lists and mappings inside "
                      "each other): not an mnsim input");
    const char *fits = "a: &x [[[1]]]\nb: *x\n";
    expect_loads(fits, strlen(fits), &four);
}

static char *repeat(const char *head, char c, size_t n, const char *tail, size_t *size)
{
    size_t h = strlen(head), t = strlen(tail);
    char *s = malloc(h + n + t + 1);
    assert_non_null(s);
    memcpy(s, head, h);
    memset(s + h, c, n);
    memcpy(s + h + n, tail, t + 1);
    *size = h + n + t;
    return s;
}

static void test_depth_limit(void **state)
{
    (void)state;
    const mn_yaml_limits three = {.max_bytes = 1000, .max_depth = 3, .max_nodes = 1000};
    expect_loads("[[[1]]]", 7, &three);
    expect_load_error("[[[[1]]]]", 9, &three,
                      "t.yaml:1:4: nested more than 3 levels deep (lists and mappings inside "
                      "each other): not an mnsim input");
    const char *block = "a:\n  b:\n    c:\n      d: 1\n";
    expect_load_error(block, strlen(block), &three,
                      "t.yaml:4:7: nested more than 3 levels deep (lists and mappings inside "
                      "each other): not an mnsim input");
    /* The hostile file of the issue: 80 kB of `[`. libyaml's document loader took 14.8 s on it
     * (and 4.6 s on 40 000 `[` closed by as many `]`, 3.1 s on 100 kB of `{a: `); the event
     * reader stops at the 33rd `[`: under 10 ms for `mnsim run` (measured on the 2-core
     * development machine; not timed here). */
    size_t size;
    char *hostile = repeat("mnsim: 1\npatient: ", '[', 80000, "\n", &size);
    expect_load_error(hostile, size, NULL,
                      "t.yaml:2:41: nested more than 32 levels deep (lists and mappings inside "
                      "each other): not an mnsim input");
    free(hostile);
    /* 32 levels are allowed. */
    char ok[80];
    memset(ok, '[', 32);
    memset(ok + 32, ']', 32);
    expect_loads(ok, 64, NULL);
}

static void test_size_and_node_limits(void **state)
{
    (void)state;
    const mn_yaml_limits small = {.max_bytes = 10, .max_depth = 32, .max_nodes = 100};
    expect_loads("a: 1234567", 10, &small);
    expect_load_error("a: 12345678", 11, &small, "t.yaml:1:1: 11 bytes, more than the 10 allowed");
    /* 5 nodes: the list, 4 items; the 5th item is one too many. */
    const mn_yaml_limits five = {.max_bytes = 100, .max_depth = 32, .max_nodes = 5};
    expect_loads("[1,2,3,4]", 9, &five);
    expect_load_error("[1,2,3,4,5]", 11, &five,
                      "t.yaml:1:10: more than 5 values (scalars, lists and mappings): not an "
                      "mnsim input");
    /* Aliases count too. */
    expect_load_error("[&a 1,*a,*a,*a,*a]", 18, &five,
                      "t.yaml:1:16: more than 5 values (scalars, lists and mappings): not an "
                      "mnsim input");
    /* The default: 100 000 nodes, so a 3 MB flat list stops early (it took 0.62 s and 247 MB
     * through libyaml's loader; 0.04 s and 18 MB now, measured, not timed here). */
    size_t n = 150000, used = 1;
    char *list = malloc(2 * n + 2);
    assert_non_null(list);
    list[0] = '[';
    for (size_t i = 0; i < n; ++i) {
        list[used++] = '1';
        list[used++] = ',';
    }
    list[used - 1] = ']';
    list[used] = '\0';
    expect_load_error(list, used, NULL,
                      "t.yaml:1:200000: more than 100000 values (scalars, lists and mappings): "
                      "not an mnsim input");
    free(list);
}

static void test_files(void **state)
{
    (void)state;
    char dir[256], path[512];
    mn_test_tmpdir(dir, sizeof dir);
    mn_yaml_doc *doc = NULL;
    mn_error err;
    mn_test_write(path, sizeof path, dir, "ok.yaml", "a: [1, 2]\n");
    assert_int_equal(mn_yaml_load_file(path, "scenario", NULL, &doc, &err), MN_OK);
    assert_string_equal(mn_yaml_name(doc), path);
    const mn_yaml_node *a = mn_yaml_get(mn_yaml_root(doc), "a");
    char expect[700];
    mn_yaml_fail(&err, mn_yaml_item(a, 1), "a[1]", "bad");
    snprintf(expect, sizeof expect, "%s:1:8: a[1]: bad", path);
    assert_string_equal(err.message, expect);
    mn_yaml_free(&doc);

    snprintf(path, sizeof path, "%s/none.yaml", dir);
    assert_int_equal(mn_yaml_load_file(path, "study file", NULL, &doc, &err), MN_EIO);
    snprintf(expect, sizeof expect, "%s: cannot open study file: No such file or directory", path);
    assert_string_equal(err.message, expect);
    assert_null(doc);

    assert_int_equal(mn_yaml_load_file(dir, "scenario", NULL, &doc, &err), MN_EIO);
    snprintf(expect, sizeof expect, "%s: read error (is it a directory?)", dir);
    assert_string_equal(err.message, expect);

    /* The size is checked on the bytes read, before libyaml sees one. */
    mn_test_write(path, sizeof path, dir, "big.yaml", "a: 12345678\n");
    const mn_yaml_limits small = {.max_bytes = 11, .max_depth = 4, .max_nodes = 10};
    assert_int_equal(mn_yaml_load_file(path, "parameter file", &small, &doc, &err), MN_ESCENARIO);
    snprintf(expect, sizeof expect, "%s:1:1: file larger than 11 bytes: not a parameter file",
             path);
    assert_string_equal(err.message, expect);
    const mn_yaml_limits exact = {.max_bytes = 12, .max_depth = 4, .max_nodes = 10};
    assert_int_equal(mn_yaml_load_file(path, "parameter file", &exact, &doc, &err), MN_OK);
    mn_yaml_free(&doc);

    mn_test_write(path, sizeof path, dir, "bin.yaml", "a: 1\n");
    FILE *f = fopen(path, "ab");
    fputc('\0', f);
    fclose(f);
    assert_int_equal(mn_yaml_load_file(path, "scenario", NULL, &doc, &err), MN_ESCENARIO);
    snprintf(expect, sizeof expect, "%s:1:1: binary file (NUL byte): not a scenario", path);
    assert_string_equal(err.message, expect);
    mn_test_rmtree(dir);

    assert_int_equal(mn_yaml_load_file(NULL, "x", NULL, &doc, &err), MN_EINVAL);
    assert_int_equal(mn_yaml_load_string(NULL, 0, "x", NULL, &doc, &err), MN_EINVAL);
    assert_int_equal(mn_yaml_load_string("a", 1, "x", NULL, NULL, &err), MN_EINVAL);
}

/* docs/scenario.md states the limits the code has. */
static void test_docs_state_the_limits(void **state)
{
    (void)state;
    char *doc = mn_test_read(MNSIM_SOURCE_DIR "/docs/scenario.md", NULL);
    assert_non_null(doc);
    char line[200];
    snprintf(line, sizeof line, "| size | %zu bytes (%zu MiB); study files 1048576 bytes (1 MiB) |",
             MN_YAML_MAX_BYTES, MN_YAML_MAX_BYTES >> 20);
    assert_true_msg(strstr(doc, line) != NULL, "docs/scenario.md lacks '%s'", line);
    snprintf(line, sizeof line, "| nesting depth | %d lists and mappings inside each other |",
             MN_YAML_MAX_DEPTH);
    assert_true_msg(strstr(doc, line) != NULL, "docs/scenario.md lacks '%s'", line);
    snprintf(line, sizeof line, "| values | %zu scalars, lists, mappings and aliases |",
             MN_YAML_MAX_NODES);
    assert_true_msg(strstr(doc, line) != NULL, "docs/scenario.md lacks '%s'", line);
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree),
        cmocka_unit_test(test_empty_and_explicit_null),
        cmocka_unit_test(test_aliases_share_their_anchor),
        cmocka_unit_test(test_double),
        cmocka_unit_test(test_int_ulong),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_string_and_enum),
        cmocka_unit_test(test_mapping_sequence_and_fail),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_alias_errors),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_size_and_node_limits),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_docs_state_the_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
