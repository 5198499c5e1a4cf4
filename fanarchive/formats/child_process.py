"""A forked helper process that never outlives the process that forked it.

The import's parser process (`import_services._parser_for`) waits for work on a pipe
whose writing end it inherited, so when the importing process is killed (SIGKILL says
no goodbye) nothing would ever wake it: it would wait forever. `end_with_parent`,
run first thing in the child, ends it with its parent instead.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 0.5


def end_with_parent(parent: int) -> None:
    """Make this (forked) process end when process `parent` does.

    On Linux the kernel sends it SIGTERM when the parent dies (PR_SET_PDEATHSIG);
    everywhere, a thread watches for the parent to be gone (the process is then handed
    to another parent), which also covers a parent that died before the prctl. Ctrl-C,
    which reaches the whole process group, is the parent's to handle: it shuts the child
    down in order. SIGTERM gets its default action back (the parent's handler is
    inherited through the fork).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
