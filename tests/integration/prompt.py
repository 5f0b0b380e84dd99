#!/usr/bin/env python3
"""Answers a command's prompts on a terminal of its own (a pty), as a person
at the keyboard would: waits for each prompt, types the answer, and keeps
everything the command wrote.

usage: prompt.py TRANSCRIPT PROMPT ANSWER [PROMPT ANSWER...] -- COMMAND [ARG...]

Each PROMPT is text the command writes (the next one looked for after the
last found); ANSWER is then typed, with Enter. Once the answers are given,
the command's output is read to its end. TRANSCRIPT gets all of it (the
terminal's carriage returns taken out). Exits with the command's status, or
3 when a prompt did not come within the time limit (the transcript says how
far it got).
"""
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

LIMIT = 30  # seconds for each prompt, and for the end


def main():
    args = sys.argv[1:]
    if '--' not in args or len(args) < 3:
        sys.exit(__doc__)
    cut = args.index('--')
    transcript, pairs, command = args[0], args[1:cut], args[cut + 1:]
    if len(pairs) % 2 or not command:
        sys.exit(__doc__)
    steps = list(zip(pairs[0::2], pairs[1::2]))

    # a terminal of 24 rows and 120 columns, as an office's screen, sized
    # before the command can ask
    fd, tty = pty.openpty()
    fcntl.ioctl(tty, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 120, 0, 0))
    pid = os.fork()
    if pid == 0:
        try:
            os.close(fd)
            os.setsid()
            fcntl.ioctl(tty, termios.TIOCSCTTY, 0)
            for n in (0, 1, 2):
                os.dup2(tty, n)
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    os.close(tty)

    out = b''
    seen = 0  # where the next prompt is looked for
    status = None

    def read(deadline):
        nonlocal out
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return False
        try:
            data = os.read(fd, 4096)
        except OSError:  # EIO: the command closed the terminal
            data = b''
        if not data:
            return None
        out += data
        return True

    for prompt, answer in steps:
        want = prompt.encode()
        deadline = time.monotonic() + LIMIT
        while out.find(want, seen) < 0:
            got = read(deadline)
            if not got:
                status = 3
                break
        if status is not None:
            break
        seen = out.find(want, seen) + len(want)
        os.write(fd, answer.encode() + b'\n')

    if status is None:
        deadline = time.monotonic() + LIMIT
        while True:
            got = read(deadline)
            if got is None:
                break
            if got is False:
                status = 3
                break
    if status == 3:
        os.kill(pid, 9)
    _, code = os.waitpid(pid, 0)
    with open(transcript, 'w', encoding='utf-8') as f:
        f.write(out.decode('utf-8', 'replace').replace('\r\n', '\n').replace('\r', ''))
    sys.exit(status if status is not None else os.waitstatus_to_exitcode(code))


main()
