"""Imported only by the fork server that printing workers are forked from (see
``render._context``): the server dies with the build that started it.

Without this, a build killed with ``kill -9`` would leave the server running as long
as its workers do, and the workers (whose parent is the server, not the build) would
finish printing for a build that no longer exists. With it, the build's death kills
the server, and the server's death tells each worker to stop (``_init_worker``).
"""

import ctypes
import signal

try:
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: nothing here to clean up
except (OSError, AttributeError):  # not Linux
    pass
