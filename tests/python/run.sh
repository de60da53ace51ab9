#!/usr/bin/env bash
# usage: run.sh PYTHON TESTS_DIR — pytest over the Python module's tests (CTest python_mnsim).
# Exit 77 (skip) when pytest is missing; under CI=true that fails.
python=$1
tests=$2
if ! "$python" -c 'import pytest' 2>/dev/null; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $python has no pytest (CI=true: python3-pytest must be installed)"
        exit 1
    fi
    echo "SKIP: $python has no pytest (scripts/install-deps.sh --test)"
    exit 77
fi
exec "$python" -m pytest -q -p no:cacheprovider "$tests"
