# Runs argv[1:] on a pseudo-terminal, as a terminal would, relaying this process's stdin to it and its
# output to stdout; exits with its exit code. For e2e checks of interactive commands (`lab tour` waits
# for a key only when stdin and stdout are terminals). Argument list in, no shell.
import os
import pty
import sys

sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))
