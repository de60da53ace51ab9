#!/usr/bin/env python3
"""The shared library's dynamic symbols are exactly the public API (docs/architecture.md).

usage: check_exports.py INCLUDE_DIR LIBMNSIM_SO

Every file-scope function and extern variable declared in INCLUDE_DIR/mnsim/*.h must carry
MN_EXPORT and be defined in the .so's dynamic symbol table; every symbol the .so defines must be
such a declaration (the compiler's names for OpenMP's named critical sections excepted). The
modules are compiled with -fvisibility=hidden, so an internal mn__ function or a module's helper
never becomes API by accident."""
import glob
import os
import re
import subprocess
import sys


def statements(text):
    """(start, end) of each file-scope statement ending in ';' (comments, strings, preprocessor
    lines and extern "C" braces skipped)."""
    i, n, depth, start, line_start = 0, len(text), 0, None, True
    while i < n:
        c = text[i]
        if text.startswith('/*', i):
            i = text.index('*/', i) + 2
            continue
        if text.startswith('//', i):
            i = text.index('\n', i)
            continue
        if c == '\n':
            line_start, i = True, i + 1
            continue
        if c in ' \t':
            i += 1
            continue
        if c == '#' and line_start:
            j = text.index('\n', i)
            while text[j - 1] == '\\':
                j = text.index('\n', j + 1)
            i = j
            continue
        line_start = False
        if start is None:
            start = i
        if c in '"\'':
            j = i + 1
            while text[j] != c:
                j += 2 if text[j] == '\\' else 1
            i = j + 1
            continue
        if c == '{':
            if text[start:i].strip() == 'extern "C"':
                start = None
            else:
                depth += 1
        elif c == '}':
            if depth == 0:
                start = None
            else:
                depth -= 1
        elif c == ';' and depth == 0:
            yield start, i + 1
            start = None
        i += 1


def declared(path):
    """{name: has MN_EXPORT} of the functions and extern variables a header declares."""
    text = open(path).read()
    out = {}
    for s, e in statements(text):
        st = re.sub(r'\s+', ' ', text[s:e])
        if '{' in st or re.match(r'(typedef|static)\b', st):
            continue
        st_noattr = re.sub(r'__attribute__ ?\(\(.*?\)\)', '', st)
        if '(' in st_noattr:
            name = re.search(r'(\w+) ?\(', st_noattr).group(1)
        elif re.match(r'(MN_EXPORT )?extern\b', st):
            name = re.search(r'(\w+) ?(\[[^]]*\])? ?;$', st_noattr).group(1)
        else:
            continue
        out[name] = st.startswith('MN_EXPORT ')
    return out


def main():
    include_dir, lib = sys.argv[1], sys.argv[2]
    problems, decls = [], {}
    for h in sorted(glob.glob(os.path.join(include_dir, 'mnsim', '*.h'))):
        for name, exported in declared(h).items():
            decls[name] = h
            if not exported:
                problems.append(f'{os.path.relpath(h, include_dir)}: {name} lacks MN_EXPORT')
    nm = subprocess.run(['nm', '-D', '--defined-only', lib], capture_output=True, text=True,
                        check=True).stdout
    symbols = {line.split()[-1] for line in nm.splitlines() if line.strip()}
    symbols = {s for s in symbols if not s.startswith('.gomp_critical_user_')}
    for name in sorted(set(decls) - symbols):
        problems.append(f'{os.path.relpath(decls[name], include_dir)}: {name} is declared but '
                        f'not exported by {os.path.basename(lib)}')
    for name in sorted(symbols - set(decls)):
        problems.append(f'{os.path.basename(lib)} exports {name}, declared in no public header')
    for p in problems:
        print('FAIL:', p)
    print(f'{len(decls)} public declarations, {len(symbols)} exported symbols')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
