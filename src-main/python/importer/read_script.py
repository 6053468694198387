"""Reads a caproto server script with `ast` (it never runs) and describes its parts, verbatim where it matters.

IOC Studio's importer (read-script.ts, then to-project.ts) turns the description into a project document. This
side only reads Python: the module's items in order, every PVGroup class with its members (pvproperties with
their arguments, hooks with their bodies, SubGroups, __ainit__, any other code), and the __main__ block. Each
item keeps its exact source, so whatever the document cannot represent can be kept as written.

Line numbers are 1-based. Argument values are given as `source` text, plus `value` when the text is a literal
(numbers, text, lists, dicts, None, float('inf')) and `ref` when it is a name or a dotted name.

A verbatim block of an exported script sits between marker comments at its own indentation (written by
src-shared/codegen/caproto-script.ts) and is one item of kind 'verbatim' (its code without the markers, whether
it needs review, its note), whatever statements it holds.
"""
import ast
import collections
import io
import math
import re
import tokenize

HOOK_KINDS = ('putter', 'getter', 'startup', 'shutdown', 'scan')
VERBATIM_BEGIN = re.compile(r'# IOC Studio verbatim(?P<review> \(review\))?(?:: (?P<note>.*))?$')
VERBATIM_END = '# IOC Studio verbatim end'


class _Verbatim(collections.namedtuple('_Verbatim', 'begin end column review note')):
    """A marked verbatim block: the lines of its two markers, their column, and what the first one says."""
# Longest list `[x] * n` is expanded to (a literal the document stores as it is).
_MAX_REPEATED = 100_000


class _NotLiteral(Exception):
    pass


def _literal(node):
    """The Python value of a literal expression; raises _NotLiteral for anything else."""
    if isinstance(node, ast.Constant):
        if node.value is Ellipsis:
            raise _NotLiteral
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _literal(node.operand)
        if isinstance(operand, bool) or not isinstance(operand, (int, float)):
            raise _NotLiteral
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, (ast.List, ast.Tuple)):
        return [_literal(item) for item in node.elts]
    if isinstance(node, ast.Dict):
        if any(key is None for key in node.keys):
            raise _NotLiteral
        keys = [_literal(key) for key in node.keys]
        if not all(isinstance(key, str) for key in keys):
            raise _NotLiteral
        return dict(zip(keys, (_literal(value) for value in node.values)))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        # `[0.0] * 64`, the usual way to write a zeroed waveform
        left, right = _literal(node.left), _literal(node.right)
        items, times = (left, right) if isinstance(left, list) else (right, left)
        if isinstance(items, list) and isinstance(times, int) and not isinstance(times, bool):
            if 0 <= len(items) * times <= _MAX_REPEATED:
                return items * times
        raise _NotLiteral
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == 'bytes' and len(node.args) == 1 and not node.keywords:
            items = _literal(node.args[0])
            if isinstance(items, list) and all(isinstance(i, int) and 0 <= i <= 255 for i in items):
                return bytes(items)
        if node.func.id == 'float' and len(node.args) == 1 and not node.keywords:
            text = _literal(node.args[0])
            if isinstance(text, str) and text.strip().lower() in ('inf', '+inf', '-inf', 'infinity', '-infinity'):
                return float(text)
        if node.func.id == 'dict' and not node.args and all(k.arg for k in node.keywords):
            return {keyword.arg: _literal(keyword.value) for keyword in node.keywords}
    if _dotted(node) in ('math.inf', 'numpy.inf', 'np.inf'):
        return math.inf
    raise _NotLiteral


def _dotted(node):
    """'a.b.c' for a chain of names, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return '.'.join(reversed(parts))


class _Reader:
    def __init__(self, source, filename):
        self.source = source
        self.filename = filename
        self.tree = ast.parse(source, filename)
        self.lines = source.splitlines(keepends=True)
        self.comment_lines, self.comment_columns = self._comment_lines()
        self.verbatim_blocks = self._verbatim_blocks()

    def _comment_lines(self):
        """Lines that hold only a comment: {line: text of the comment}, {line: its column}."""
        found, columns = {}, {}
        tokens = tokenize.generate_tokens(io.StringIO(self.source).readline)
        for token in tokens:
            if token.type == tokenize.COMMENT and not self.lines[token.start[0] - 1][: token.start[1]].strip():
                found[token.start[0]] = token.string
                columns[token.start[0]] = token.start[1]
        return found, columns

    def _verbatim_blocks(self):
        """Each begin marker with the first end marker after it at the same column (a lone marker is a comment)."""
        blocks, open_block = [], None
        for line in sorted(self.comment_lines):
            text, column = self.comment_lines[line].rstrip(), self.comment_columns[line]
            if open_block is None:
                begin = VERBATIM_BEGIN.match(text)
                if begin is not None:
                    open_block = (line, column, begin.group('review') is not None, begin.group('note'))
            elif text == VERBATIM_END and column == open_block[1]:
                begin_line, column, review, note = open_block
                blocks.append(_Verbatim(begin_line, line, column, review, note))
                open_block = None
        return blocks

    # -- source text ---------------------------------------------------------------------------------------------

    def text(self, first, last, indent=0):
        """Lines first..last, with `indent` leading columns of whitespace removed from each."""
        out = []
        for line in self.lines[first - 1 : last]:
            strip = 0
            while strip < indent and strip < len(line) and line[strip] in ' \t':
                strip += 1
            out.append(line[strip:])
        return ''.join(out).rstrip() + '\n' if out else ''

    def segment(self, node):
        return ast.get_source_segment(self.source, node) or ''

    def argument(self, node):
        described = {'source': self.segment(node)}
        try:
            value = _literal(node)
        except _NotLiteral:
            pass
        else:
            # JavaScript cannot tell 1.0 from 1 or bytes from a list: say which Python type it was.
            described['pyType'] = type(value).__name__
            if isinstance(value, bytes):
                value = list(value)
            elif isinstance(value, list) and value:
                described['itemType'] = type(value[0]).__name__
            described['value'] = value
        ref = _dotted(node)
        if ref is not None:
            described['ref'] = ref
        return described

    def call(self, node):
        return {
            'function': _dotted(node.func),
            'positional': [self.argument(arg) for arg in node.args],
            'keywords': {kw.arg: self.argument(kw.value) for kw in node.keywords if kw.arg is not None},
            'unpacked': [self.segment(kw.value) for kw in node.keywords if kw.arg is None],
        }

    # -- regions: an item with the comments that belong to it -----------------------------------------------------

    def start_of(self, node):
        return min([node.lineno] + [d.lineno for d in getattr(node, 'decorator_list', [])])

    def leading_comments(self, start, floor):
        """Comment lines between the previous item (ending at `floor`) and `start`."""
        return [(line, self.comment_lines[line]) for line in range(floor + 1, start) if line in self.comment_lines]

    def trailing_end(self, node, ceiling):
        """The last line of `node`, extended over comments indented deeper than it (the end of its body)."""
        end = node.end_lineno
        line = end + 1
        while line < ceiling and line <= len(self.lines):
            text = self.lines[line - 1]
            if not text.strip():
                line += 1
                continue
            if line in self.comment_lines and len(text) - len(text.lstrip()) > node.col_offset:
                end = line
                line += 1
                continue
            break
        return end

    def items(self, body, floor, ceiling):
        """(node, first line incl. leading comments, last line, leading comments) for each statement; a marked
        verbatim block is one item (a _Verbatim instead of a node) holding the statements inside it."""
        column = body[0].col_offset if body else None
        blocks = [b for b in self.verbatim_blocks if floor < b.begin < ceiling and b.column == column]
        found = []
        index = 0
        while index < len(body) or blocks:
            start = self.start_of(body[index]) if index < len(body) else ceiling
            if blocks and blocks[0].begin < start:
                block = blocks.pop(0)
                while index < len(body) and self.start_of(body[index]) < block.end:
                    index += 1
                comments = self.leading_comments(block.begin, floor)
                found.append((block, comments[0][0] if comments else block.begin, block.end, [t for _, t in comments]))
                floor = block.end
                continue
            node = body[index]
            index += 1
            next_start = self.start_of(body[index]) if index < len(body) else ceiling
            if blocks:
                next_start = min(next_start, blocks[0].begin)
            end = self.trailing_end(node, next_start)
            comments = self.leading_comments(start, floor)
            first = comments[0][0] if comments else start
            found.append((node, first, end, [text for _, text in comments]))
            floor = end
        return found, floor

    def verbatim(self, block, base):
        """The item of a marked verbatim block: its code without the markers."""
        code = self.text(block.begin + 1, block.end - 1, block.column)
        return {**base, 'line': block.begin, 'code': code, 'kind': 'verbatim', 'review': block.review,
                'note': block.note}

    # -- functions ---------------------------------------------------------------------------------------------

    def body_of(self, node, end):
        """The body of a def, dedented, with its comments (those before the first statement too)."""
        first = node.body[0]
        if first.lineno == node.lineno:
            # `async def f(...): return x` - the body shares the header line.
            return '\n'.join(self.segment(statement) for statement in node.body) + '\n'
        start = first.lineno
        while start - 1 > node.lineno and (start - 1 in self.comment_lines or not self.lines[start - 2].strip()):
            start -= 1
        while not self.lines[start - 1].strip():
            start += 1
        return self.text(start, end, first.col_offset)

    def function(self, node, end):
        args = node.args
        return {
            'name': node.name,
            'isAsync': isinstance(node, ast.AsyncFunctionDef),
            'params': [a.arg for a in args.posonlyargs + args.args],
            'simpleParams': not (args.vararg or args.kwarg or args.kwonlyargs or args.defaults or args.kw_defaults),
            'body': self.body_of(node, end),
        }

    # -- classes -----------------------------------------------------------------------------------------------

    def member(self, node, first, end, indent):
        if isinstance(node, _Verbatim):
            return self.verbatim(node, {'start': first, 'end': end})
        code = self.text(first, end, indent)
        base = {'line': self.start_of(node), 'start': first, 'end': end, 'code': code}
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            attr = node.targets[0].id
            value = node.value
            base['assigned'] = self.argument(value)
            if isinstance(value, ast.Call):
                call = self.call(value)
                if call['function'] in ('autosaved', 'autosave.autosaved', 'caproto.server.autosave.autosaved'):
                    inner = value.args[0] if value.args else None
                    if isinstance(inner, ast.Call) and _dotted(inner.func) in ('pvproperty', 'server.pvproperty'):
                        fields = call['keywords'].get('fields')
                        return {**base, 'kind': 'pv', 'attr': attr, 'autosave': True,
                                'autosaveFields': fields, **self.call(inner)}
                if call['function'] in ('pvproperty', 'server.pvproperty'):
                    return {**base, 'kind': 'pv', 'attr': attr, 'autosave': False, **call}
                if call['function'] in ('SubGroup', 'server.SubGroup'):
                    return {**base, 'kind': 'subgroup', 'attr': attr, **call}
                return {**base, 'kind': 'code', 'call': call, 'attr': attr}
            return {**base, 'kind': 'code', 'attr': attr}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.name == '__ainit__' and not node.decorator_list:
                return {**base, 'kind': 'ainit', **self.function(node, end)}
            hook = self.hook_decorator(node)
            if hook is not None:
                return {**base, 'kind': 'hook', **hook, **self.function(node, end)}
        if isinstance(node, ast.ClassDef) and len(node.decorator_list) == 1:
            decorator = node.decorator_list[0]
            if isinstance(decorator, ast.Call) and _dotted(decorator.func) in ('SubGroup', 'server.SubGroup'):
                return {**base, 'kind': 'subgroup-class', 'attr': node.name, **self.call(decorator),
                        'class': self.group_class(node, first, end)}
        return {**base, 'kind': 'code'}

    def hook_decorator(self, node):
        """{'target', 'hook', 'scanArgs'} for `@pv.putter` / `@pv.scan(period=…)`, else None."""
        if len(node.decorator_list) != 1:
            return None
        decorator = node.decorator_list[0]
        call = None
        if isinstance(decorator, ast.Call):
            call = self.call(decorator)
            decorator = decorator.func
        if not isinstance(decorator, ast.Attribute) or not isinstance(decorator.value, ast.Name):
            return None
        if decorator.attr not in HOOK_KINDS or (call is not None) != (decorator.attr == 'scan'):
            return None
        return {'target': decorator.value.id, 'hook': decorator.attr, 'scanArgs': call}

    def group_class(self, node, first, end):
        class_start = self.start_of(node)
        body = node.body
        doc = ast.get_docstring(node, clean=True)
        if doc is not None:
            body = body[1:]
        members, last = self.items(body, node.body[0].end_lineno if doc is not None else node.lineno, end + 1)
        indent = body[0].col_offset if body else node.col_offset + 4
        return {
            'name': node.name,
            'line': class_start,
            'bases': [self.segment(base) for base in node.bases],
            'keywords': [self.segment(kw) for kw in node.keywords],
            'doc': doc,
            'code': self.text(first, end, node.col_offset),
            'members': [self.member(n, f, e, indent) | {'comments': c} for n, f, e, c in members],
            'trailingComments': [text for line, text in self.leading_comments(end + 1, last)],
        }

    # -- the __main__ block ------------------------------------------------------------------------------------

    def main_block(self, node):
        statements = []
        for child, first, end, comments in self.items(node.body, node.lineno, node.end_lineno + 1)[0]:
            if isinstance(child, _Verbatim):
                statements.append(self.verbatim(child, {'start': first, 'end': end, 'comments': comments}))
                continue
            entry = {'line': child.lineno, 'start': first, 'end': end, 'comments': comments,
                     'code': self.text(first, end, child.col_offset)}
            value = getattr(child, 'value', None)
            if isinstance(value, ast.Call):
                entry['call'] = self.call(value)
                if isinstance(child, ast.Assign):
                    entry['targets'] = [self.segment(target) for target in child.targets]
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                entry['import'] = self.import_names(child)
            statements.append(entry)
        return {'line': node.lineno, 'statements': statements}

    def import_names(self, node):
        if isinstance(node, ast.ImportFrom):
            return {'module': ('.' * node.level) + (node.module or ''), 'names': [a.name for a in node.names],
                    'aliases': [a.asname for a in node.names]}
        return {'module': None, 'names': [a.name for a in node.names], 'aliases': [a.asname for a in node.names]}

    # -- the module --------------------------------------------------------------------------------------------

    def module(self):
        body = self.tree.body
        doc = ast.get_docstring(self.tree, clean=False)
        floor = 0
        if doc is not None:
            floor = body[0].end_lineno
            body = body[1:]
        items, last = self.items(body, floor, len(self.lines) + 1)
        described = []
        for node, first, end, comments in items:
            if isinstance(node, _Verbatim):
                described.append(self.verbatim(node, {'start': first, 'end': end, 'comments': comments}))
                continue
            entry = {'line': self.start_of(node), 'start': first, 'end': end, 'comments': comments,
                     'code': self.text(first, end)}
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                entry |= {'kind': 'import', **self.import_names(node)}
            elif isinstance(node, ast.ClassDef):
                entry |= {'kind': 'class', 'class': self.group_class(node, first, end)}
            elif _is_main_guard(node):
                entry |= {'kind': 'main', 'main': self.main_block(node)}
            else:
                entry |= {'kind': 'code'}
                if isinstance(node, ast.Assign):
                    entry['targets'] = [self.segment(target) for target in node.targets]
                    entry['assigned'] = self.argument(node.value)
                    if isinstance(node.value, ast.Call):
                        entry['call'] = self.call(node.value)
            described.append(entry)
        return {
            'doc': doc,
            'shebang': self.lines[0].rstrip('\n') if self.lines and self.lines[0].startswith('#!') else None,
            'items': described,
            'trailingComments': [text for _, text in self.leading_comments(len(self.lines) + 1, last)],
        }


def _is_main_guard(node):
    if not isinstance(node, ast.If) or node.orelse:
        return False
    test = node.test
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == '__name__']
    strings = [s for s in sides if isinstance(s, ast.Constant) and s.value == '__main__']
    return len(names) == 1 and len(strings) == 1


def read_script(source, filename):
    """The description of a script (a dict), or {'syntaxError': {...}} when it is not valid Python."""
    try:
        return _Reader(source, filename).module()
    except SyntaxError as error:
        return {'syntaxError': {'line': error.lineno or 1, 'column': error.offset or 1, 'message': error.msg}}
