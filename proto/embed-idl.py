#!/usr/bin/env python3
"""Embed the varlink interface files in C: their text (for
org.varlink.service.GetInterfaceDescription), and what they declare, parsed:
every method with the types of its input and output, every error with the
type of its parameters, every named type. khoad checks its parameter tables
against the inputs at start-up, and in check builds every reply against the
outputs (proto/idl.h).

The grammar is varlink's (https://varlink.org/Interface-Definition): a
file is "interface NAME" followed by "type", "method" and "error"
declarations; "#" starts a comment. A type is bool, int, float, string,
object, a named type of the same interface, a struct "(name: type, …)", an
enum "(a, b, …)", "[]T" (array), "[string]T" (map) or "?T" (may be null or
absent). A file this script cannot parse fails the build with its line.

usage: embed-idl.py OUT.c IDL...
"""
import re
import sys

TOKEN = re.compile(r'\s*(->|\[string\]|\[\]|[(),:?]|[A-Za-z_][A-Za-z0-9_.]*)')
BASIC = {'bool': 'BOOL', 'int': 'INT', 'float': 'FLOAT', 'string': 'STRING', 'object': 'OBJECT'}


class IdlError(Exception):
    pass


class Lexer:
    def __init__(self, path, text):
        self.path, self.tokens, self.i = path, [], 0
        for lineno, line in enumerate(text.split('\n'), 1):
            line = line.split('#', 1)[0]
            pos = 0
            while line[pos:].strip():
                m = TOKEN.match(line, pos)
                if not m:
                    raise IdlError('%s:%d: cannot read "%s"' % (path, lineno, line[pos:].strip()))
                self.tokens.append((m.group(1), lineno))
                pos = m.end()

    def peek(self):
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def line(self):
        return self.tokens[min(self.i, len(self.tokens) - 1)][1] if self.tokens else 0

    def take(self, want=None):
        if self.i >= len(self.tokens):
            raise IdlError('%s: ends early%s' % (self.path, ', wanted "%s"' % want if want else ''))
        tok = self.tokens[self.i][0]
        if want is not None and tok != want:
            raise IdlError('%s:%d: "%s" where "%s" was wanted' % (self.path, self.line(), tok, want))
        self.i += 1
        return tok

    def name(self):
        tok = self.take()
        if not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', tok):
            raise IdlError('%s:%d: "%s" is not a name' % (self.path, self.line(), tok))
        return tok


# A type: ('basic', 'INT'), ('named', 'Token'), ('struct', [(name, type, optional)]),
# ('enum', [values]), ('array', type, optional), ('map', type, optional).
def parse_type(lx):
    tok = lx.peek()
    if tok == '[]' or tok == '[string]':
        lx.take()
        optional = lx.peek() == '?'
        if optional:
            lx.take()
        return ('array' if tok == '[]' else 'map', parse_type(lx), optional)
    if tok == '(':
        return parse_struct_or_enum(lx)
    name = lx.name()
    if name in BASIC:
        return ('basic', BASIC[name])
    return ('named', name)


def parse_struct_or_enum(lx):
    lx.take('(')
    fields, values = [], []
    while lx.peek() != ')':
        name = lx.name()
        if lx.peek() == ':':
            lx.take()
            optional = lx.peek() == '?'
            if optional:
                lx.take()
            fields.append((name, parse_type(lx), optional))
        else:
            values.append(name)
        if lx.peek() == ',':
            lx.take()
        elif lx.peek() != ')':
            raise IdlError('%s:%d: "%s" where "," or ")" was wanted' % (lx.path, lx.line(), lx.peek()))
    lx.take(')')
    if fields and values:
        raise IdlError('%s:%d: a struct and an enum at once' % (lx.path, lx.line()))
    return ('enum', values) if values else ('struct', fields)


def parse_interface(path, text):
    lx = Lexer(path, text)
    lx.take('interface')
    iface = {'name': lx.take(), 'types': {}, 'methods': [], 'errors': [], 'text': text}
    while lx.peek() is not None:
        what = lx.take()
        if what == 'type':
            name = lx.name()
            iface['types'][name] = parse_type(lx)
        elif what == 'method':
            name = lx.name()
            params = parse_struct_or_enum(lx)
            lx.take('->')
            result = parse_struct_or_enum(lx)
            if params[0] != 'struct' or result[0] != 'struct':
                raise IdlError('%s: method %s: its input and output are structs' % (path, name))
            iface['methods'].append((name, params, result))
        elif what == 'error':
            name = lx.name()
            params = parse_struct_or_enum(lx)
            if params[0] != 'struct':
                raise IdlError('%s: error %s: its parameters are a struct' % (path, name))
            iface['errors'].append((name, params))
        else:
            raise IdlError('%s:%d: "%s" where type, method or error was wanted' % (path, lx.line(), what))
    if not iface['methods']:
        raise IdlError('%s: an interface needs at least one method' % path)
    return iface


def c_string(text):
    out = []
    for line in text.splitlines(keepends=True):
        esc = line.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n')
        out.append('"%s"' % esc)
    return '\n\t'.join(out) if out else '""'


class Emitter:
    def __init__(self):
        self.defs = []          # C definitions, in order
        self.count = 0

    def fresh(self, prefix):
        self.count += 1
        return '%s_%d' % (prefix, self.count)

    def type_ref(self, iface, t, named):
        """The C name of a khoa_idl_type for T (emitting what it needs)."""
        kind = t[0]
        if kind == 'named':
            if t[1] not in named:
                raise IdlError('%s: type %s is not declared' % (iface['name'], t[1]))
            return named[t[1]]
        if kind == 'basic':
            return 'basic_' + t[1].lower()
        var = self.fresh('type')
        self.emit_type(iface, t, var, named, None)
        return var

    def emit_type(self, iface, t, var, named, name):
        kind = t[0]
        cname = '"%s"' % name if name else 'NULL'
        if kind == 'basic':
            self.defs.append('static const struct khoa_idl_type %s = { KHOA_IDL_%s, %s, NULL, NULL, NULL, false };'
                             % (var, t[1], cname))
        elif kind == 'enum':
            values = self.fresh('values')
            self.defs.append('static const char *const %s[] = { %s, NULL };'
                             % (values, ', '.join('"%s"' % v for v in t[1])))
            self.defs.append('static const struct khoa_idl_type %s = { KHOA_IDL_ENUM, %s, NULL, %s, NULL, false };'
                             % (var, cname, values))
        elif kind == 'struct':
            fields = self.fresh('fields')
            rows = []
            for fname, ftype, optional in t[1]:
                rows.append('{ "%s", &%s, %s }' % (fname, self.type_ref(iface, ftype, named),
                                                  'true' if optional else 'false'))
            rows.append('{ NULL, NULL, false }')
            self.defs.append('static const struct khoa_idl_field %s[] = {\n\t%s\n};' % (fields, ',\n\t'.join(rows)))
            self.defs.append('static const struct khoa_idl_type %s = { KHOA_IDL_STRUCT, %s, %s, NULL, NULL, false };'
                             % (var, cname, fields))
        else:   # array, map
            element = self.type_ref(iface, t[1], named)
            self.defs.append('static const struct khoa_idl_type %s = { KHOA_IDL_%s, %s, NULL, NULL, &%s, %s };'
                             % (var, 'ARRAY' if kind == 'array' else 'MAP', cname, element,
                                'true' if t[2] else 'false'))


def main():
    out_path, idl_paths = sys.argv[1], sys.argv[2:]
    try:
        interfaces = []
        for path in idl_paths:
            with open(path, encoding='utf-8') as f:
                interfaces.append(parse_interface(path, f.read()))
        em = Emitter()
        tables = []
        for n, iface in enumerate(interfaces):
            # Named types first (declared, then defined), so that any order
            # and self-reference work.
            named = {name: 'named_%d_%s' % (n, name) for name in iface['types']}
            for name, var in named.items():
                em.defs.append('static const struct khoa_idl_type %s;' % var)
            for name, t in iface['types'].items():
                if t[0] == 'named':
                    raise IdlError('%s: type %s is only another name' % (iface['name'], name))
                em.emit_type(iface, t, named[name], named, name)
            methods = []
            for name, params, result in iface['methods']:
                methods.append('{ "%s.%s", &%s, &%s }' % (iface['name'], name,
                               em.type_ref(iface, params, named), em.type_ref(iface, result, named)))
            methods.append('{ NULL, NULL, NULL }')
            errors = []
            for name, params in iface['errors']:
                errors.append('{ "%s.%s", &%s }' % (iface['name'], name, em.type_ref(iface, params, named)))
            errors.append('{ NULL, NULL }')
            em.defs.append('static const struct khoa_idl_method methods_%d[] = {\n\t%s\n};'
                           % (n, ',\n\t'.join(methods)))
            em.defs.append('static const struct khoa_idl_error errors_%d[] = {\n\t%s\n};'
                           % (n, ',\n\t'.join(errors)))
            tables.append('\t{\n\t.name = "%s",\n\t.methods = methods_%d,\n\t.errors = errors_%d,\n'
                          '\t.description =\n\t%s\n\t},\n' % (iface['name'], n, n, c_string(iface['text'])))
    except (IdlError, OSError) as e:
        sys.exit(str(e))

    with open(out_path, 'w', encoding='utf-8') as out:
        out.write('/* Generated by proto/embed-idl.py from the proto/ .varlink files; do not edit. */\n')
        out.write('#include <stdbool.h>\n#include <stddef.h>\n#include "idl.h"\n\n')
        for basic in BASIC.values():
            out.write('static const struct khoa_idl_type basic_%s = { KHOA_IDL_%s, NULL, NULL, NULL, '
                      'NULL, false };\n' % (basic.lower(), basic))
        out.write('\n'.join(em.defs))
        out.write('\n\nconst struct khoa_idl_interface khoa_idl_interfaces[] = {\n')
        out.write(''.join(tables))
        out.write('\t{ .name = NULL }\n};\n')


if __name__ == '__main__':
    main()
