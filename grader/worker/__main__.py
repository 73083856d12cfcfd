"""Start a worker: ``python -I <this folder>/__main__.py`` (see grader.sandbox.prepare).

Python runs this file alone, as ``__main__``; the rest of the folder is loaded as a
package under one private name, PACKAGE, and never from sys.path: its folder is
taken off sys.path first, so that nothing of the grader is importable from the
student's code, and a student's helper module named like one of the worker's
(``wire.py``, ``limits.py``) is the student's own. Bytecode is not written: the
folder is the grader's, not the worker's.
"""

import importlib
import importlib.util
import os
import sys

PACKAGE = "_nn_grader_worker"


def _load_package():
    """This folder as the package PACKAGE; returns its main function (and keeps no path anywhere)."""
    folder = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or os.curdir) != folder]
    spec = importlib.util.spec_from_file_location(PACKAGE, os.path.join(folder, "__init__.py"),
                                                  submodule_search_locations=[folder])
    package = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{PACKAGE}.loop").main


if __name__ == "__main__":
    sys.dont_write_bytecode = True
    _load_package()()
