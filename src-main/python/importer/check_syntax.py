"""Python's own verdict on a script's syntax: compile() it (nothing runs) and report the first error."""


def check_syntax(source, filename):
    """[] when the script compiles, else one {'line', 'column', 'message'} (1-based, as Python counts)."""
    try:
        compile(source, filename, 'exec', dont_inherit=True)
    except SyntaxError as error:
        return [{'line': error.lineno or 1, 'column': error.offset or 1, 'message': error.msg}]
    except ValueError as error:
        # e.g. "source code string cannot contain null bytes"
        return [{'line': 1, 'column': 1, 'message': str(error)}]
    return []
