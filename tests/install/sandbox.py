#!/usr/bin/python3
"""Runs a program under the seccomp filters of a systemd unit, as systemd 252
installs them, so that a test can see the daemon work under its unit's
sandbox without systemd as PID 1.

Usage: sandbox.py UNIT -- PROGRAM [ARGS...]

From UNIT's [Service] section it applies:
  SystemCallFilter= (allow list and ~removals, groups expanded by
    `systemd-analyze syscall-filter`), SystemCallErrorNumber=,
    SystemCallArchitectures=native
  RestrictAddressFamilies= (socket() of another family: EAFNOSUPPORT)
  MemoryDenyWriteExecute= (mmap W+X, mprotect/pkey_mprotect +X, shmat
    SHM_EXEC: EPERM)
  NoNewPrivileges= (always: an unprivileged filter needs it)
then execs PROGRAM. Each is a filter of its own, as systemd loads them; the
kernel applies the strictest answer. What needs mount namespaces
(ProtectSystem=, PrivateTmp=, DevicePolicy=...) is not emulated.

Exit status 125 when the filters cannot be built or loaded (seccomp
missing): the caller skips.
"""
import errno
import os
import socket
import subprocess
import sys

try:
    import seccomp
except ImportError:
    print("sandbox.py: python3-seccomp is not installed", file=sys.stderr)
    sys.exit(125)


def service_settings(path):
    """The assignments of the [Service] section, in order, as (key, value)."""
    out, section = [], None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line
                continue
            if section == "[Service]" and "=" in line:
                key, value = line.split("=", 1)
                out.append((key.strip(), value.strip()))
    return out


_groups = {}


def expand(name):
    """The system calls of @GROUP (recursively) or of a plain name."""
    if not name.startswith("@"):
        return {name}
    if name not in _groups:
        text = subprocess.run(["systemd-analyze", "syscall-filter", name],
                              check=True, capture_output=True, text=True).stdout
        calls = set()
        for line in text.splitlines()[1:]:
            item = line.strip()
            if not item or item.startswith("#"):
                continue
            calls |= expand(item)
        _groups[name] = calls
    return _groups[name]


def syscall_filter(settings):
    """The allowed system calls and the errno of the others (None: kill)."""
    allowed, is_allow_list, err = set(), None, None
    for key, value in settings:
        if key == "SystemCallErrorNumber":
            err = getattr(errno, value) if value else None
        if key != "SystemCallFilter":
            continue
        if not value:
            allowed, is_allow_list = set(), None
            continue
        negate = value.startswith("~")
        names = set()
        for item in value.lstrip("~").split():
            names |= expand(item)
        if is_allow_list is None:
            is_allow_list = not negate
            if is_allow_list:
                allowed |= expand("@default")
        if is_allow_list and not negate:
            allowed |= names
        elif is_allow_list and negate:
            allowed -= names
        else:
            raise SystemExit("sandbox.py: a deny-list SystemCallFilter= is not emulated")
    return (allowed if is_allow_list else None), err


def load_syscall_filter(allowed, err):
    f = seccomp.SyscallFilter(seccomp.ERRNO(err) if err else seccomp.KILL_PROCESS)
    unknown = []
    for name in sorted(allowed):
        try:
            f.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):
            unknown.append(name)	# not a system call of this architecture
    f.load()
    return unknown


def load_address_families(families):
    """As systemd does: families below the first allowed one, above the last,
    and each one between that is not allowed get EAFNOSUPPORT."""
    numbers = sorted(getattr(socket, fam) for fam in families)
    f = seccomp.SyscallFilter(seccomp.ALLOW)
    deny = seccomp.ERRNO(errno.EAFNOSUPPORT)
    f.add_rule(deny, "socket", seccomp.Arg(0, seccomp.LT, numbers[0]))
    f.add_rule(deny, "socket", seccomp.Arg(0, seccomp.GT, numbers[-1]))
    for n in range(numbers[0] + 1, numbers[-1]):
        if n not in numbers:
            f.add_rule(deny, "socket", seccomp.Arg(0, seccomp.EQ, n))
    f.load()


def load_memory_deny_write_execute():
    PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000
    f = seccomp.SyscallFilter(seccomp.ALLOW)
    deny = seccomp.ERRNO(errno.EPERM)
    wx = PROT_WRITE | PROT_EXEC
    f.add_rule(deny, "mmap", seccomp.Arg(2, seccomp.MASKED_EQ, wx, wx))
    f.add_rule(deny, "mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    f.add_rule(deny, "pkey_mprotect", seccomp.Arg(2, seccomp.MASKED_EQ, PROT_EXEC, PROT_EXEC))
    f.add_rule(deny, "shmat", seccomp.Arg(2, seccomp.MASKED_EQ, SHM_EXEC, SHM_EXEC))
    f.load()


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 64
    settings = service_settings(sys.argv[1])
    program = sys.argv[3:]
    values = dict(settings)
    try:
        if values.get("RestrictAddressFamilies"):
            load_address_families(values["RestrictAddressFamilies"].split())
        if values.get("MemoryDenyWriteExecute") == "yes":
            load_memory_deny_write_execute()
        allowed, err = syscall_filter(settings)
        if allowed is not None:
            unknown = load_syscall_filter(allowed, err)
            if os.environ.get("SANDBOX_VERBOSE"):
                print("sandbox.py: %d system calls allowed; not of this architecture: %s"
                      % (len(allowed) - len(unknown), " ".join(unknown)), file=sys.stderr)
    except (OSError, RuntimeError, subprocess.CalledProcessError) as e:
        print("sandbox.py: cannot load the filters: %s" % e, file=sys.stderr)
        return 125
    os.execvp(program[0], program)


if __name__ == "__main__":
    sys.exit(main())
