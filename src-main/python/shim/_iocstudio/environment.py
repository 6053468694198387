"""os.environ per script session: a session starts from the runtime's own environment plus what its host passes
in, and what its code changes stays its own, so one script's `os.environ.setdefault(...)` never reaches the next
script run in the same Pyodide.

os.environ keeps its identity (code that imported it holds the same object); only where it stores its variables
follows the running session (host.running_var). Outside any session it is the runtime's own environment.
Nothing reaches the C-level environment (putenv): no subprocess could see it anyway.
"""

import os

from . import host

_runtime_variables = None


class _SessionEnviron(type(os.environ)):
    @property
    def _data(self):
        session = host.current_session()
        return _runtime_variables if session is None else session.environ

    def __setitem__(self, key, value):
        self._data[self.encodekey(key)] = self.encodevalue(value)

    def __delitem__(self, key):
        try:
            del self._data[self.encodekey(key)]
        except KeyError:
            raise KeyError(key) from None


def fresh(variables):
    """A session's own variables: the runtime's, with `variables` (str -> str) set on top."""
    environ = dict(_runtime_variables)
    for key, value in variables.items():
        environ[os.environ.encodekey(key)] = os.environ.encodevalue(value)
    return environ


def install():
    global _runtime_variables
    _runtime_variables = os.environ.__dict__['_data']
    os.environ.__class__ = _SessionEnviron
