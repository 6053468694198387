"""Tracebacks as a user wants them: only the script's own frames, not the shim's or the standard library's."""

import os
import traceback

_SHIM_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _is_users(filename, script):
    """Not the shim, not the standard library, not a JavaScript frame Pyodide adds for a call into the host."""
    if filename == script:
        return True
    return filename.endswith('.py') and not filename.startswith((_SHIM_DIR, '/lib/python', '<frozen'))


def _user_frames(exception, script):
    """Keeps the user's frames, recursively through causes and contexts."""
    if exception is None:
        return
    frames = [frame for frame in exception.stack if _is_users(frame.filename, script)]
    exception.stack = traceback.StackSummary.from_list(frames)
    _user_frames(exception.__cause__, script)
    _user_frames(exception.__context__, script)


def user_traceback(error, script):
    report = traceback.TracebackException.from_exception(error)
    _user_frames(report, script)
    return ''.join(report.format())



def script_line(error, script):
    """The line of the innermost frame in the script itself, or None."""
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == script]
    return lines[-1] if lines else None
