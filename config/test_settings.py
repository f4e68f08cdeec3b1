"""Settings for the test suite: the project's own settings, with the folder the platform writes to
(uploads, private evidence, the default SQLite file) in a temporary directory, so that running the
tests never adds files to a developer's `var/`.

The directory is chosen once, by the first process that loads these settings, and passed on in
`DELTAUNION_VAR_DIR` to every process started after it (xdist workers, `manage.py` subprocesses);
that first process removes it when it exits. A `DELTAUNION_VAR_DIR` already set is used as it is.
"""

import atexit
import os
import shutil
import tempfile

if "DELTAUNION_VAR_DIR" not in os.environ:
    _var_dir = tempfile.mkdtemp(prefix="deltaunion-tests-")
    os.environ["DELTAUNION_VAR_DIR"] = _var_dir
    atexit.register(shutil.rmtree, _var_dir, ignore_errors=True)

from config.settings import *  # noqa: F403
