"""Thread control for the many tiny solves of the synthetic control."""

from __future__ import annotations

import contextlib
import ctypes
import glob
import os

import numpy as np


@contextlib.contextmanager
def blas_single_thread():
    """Run the enclosed code with OpenBLAS (numpy's and scipy's bundled copies) on one thread.

    The synthetic control solves many tiny quadratic programmes; on a busy machine OpenBLAS's worker
    threads make each solve about ten times slower. Restores the previous setting on exit; does
    nothing where the libraries cannot be found.
    """
    handles = []
    try:
        for pkg in (np, __import__("scipy")):
            libdir = os.path.join(os.path.dirname(os.path.dirname(pkg.__file__)), pkg.__name__ + ".libs")
            for path in glob.glob(os.path.join(libdir, "*openblas*.so*")):
                lib = ctypes.CDLL(path)
                for suffix in ("64_", ""):
                    get = getattr(lib, f"scipy_openblas_get_num_threads{suffix}", None)
                    set_ = getattr(lib, f"scipy_openblas_set_num_threads{suffix}", None)
                    if get is not None and set_ is not None:
                        handles.append((set_, int(get())))
                        set_(ctypes.c_int(1))
                        break
    except (OSError, AttributeError):
        pass
    try:
        yield
    finally:
        for set_, n in handles:
            set_(ctypes.c_int(n))
