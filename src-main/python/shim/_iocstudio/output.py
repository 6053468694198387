"""print() and logging go to the app's log, labelled with the PV whose hook produced them."""

import io
import logging
import sys

from . import host
from .tracebacks import user_traceback

# A line that never ends is flushed in pieces this long, so one runaway print cannot hold memory.
_MAX_PENDING = 8192


class HostStream(io.TextIOBase):
    """sys.stdout / sys.stderr: complete lines go to the log; partial lines wait, per source."""

    def __init__(self, level, name, outside=None):
        self._level = level
        self._name = name
        self._pending = {}
        # Where output goes when no script or hook runs. Pyodide formats the traceback of an exception that
        # reaches JavaScript through file descriptor 2, so stderr must stay the real stream there.
        self._outside = outside

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return 'utf-8'

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f'write() argument must be str, not {type(text).__name__}')
        source = host.current_source()
        if source == 'python' and self._outside is not None:
            return self._outside.write(text)
        buffered = self._pending.pop(source, '') + text
        *lines, rest = buffered.split('\n')
        for line in lines:
            host.log(self._level, line, source)
        if len(rest) > _MAX_PENDING:
            host.log(self._level, rest, source)
        elif rest:
            self._pending[source] = rest
        return len(text)

    def flush(self):
        pending, self._pending = self._pending, {}
        for source, rest in pending.items():
            host.log(self._level, rest, source)
        if self._outside is not None:
            self._outside.flush()


class UserFormatter(logging.Formatter):
    """`log.exception(...)` shows the script's frames only."""

    def formatException(self, exc_info):
        session = host.current_session()
        return user_traceback(exc_info[1], session.filename if session is not None else '').rstrip()


class HostLogHandler(logging.Handler):
    """Log records to the app log; the source is the PV of the running hook, else the logger's name."""

    def emit(self, record):
        try:
            message = self.format(record)
            source = host.current_source()
            host.log(host.level_name(record.levelno), message, record.name if source == 'python' else source)
        except Exception:
            self.handleError(record)


def install():
    sys.stdout = HostStream('info', '<stdout>')
    sys.stderr = HostStream('warn', '<stderr>', outside=sys.stderr)
    handler = HostLogHandler()
    handler.setFormatter(UserFormatter('%(message)s'))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
