#!/usr/bin/env bash
# usage: run.sh PYTHON TESTS_DIR — pytest over the .vti files of a 3-D run read with VTK's own
# reader (CTest vtk_reader). Exit 77 (skip) when pytest or VTK's Python module (Debian
# python3-vtk9) is missing; under CI=true that fails.
python=$1
tests=$2
for module in pytest vtkmodules.vtkIOXML; do
    if ! "$python" -c "import $module" 2>/dev/null; then
        package=python3-pytest
        [ "$module" = pytest ] || package=python3-vtk9
        if [ "${CI:-}" = true ]; then
            echo "FAIL: $python cannot import $module (CI=true: $package must be installed)"
            exit 1
        fi
        echo "SKIP: $python cannot import $module ($package; scripts/install-deps.sh --test)"
        exit 77
    fi
done
exec "$python" -m pytest -q -p no:cacheprovider "$tests"
