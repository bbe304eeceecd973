"""The `rag` process keeps glibc from giving every thread a malloc arena of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

# Eight threads hold memory at once, then glibc reports its arenas (malloc_info's <heap> elements).
_PROBE = textwrap.dedent(
    """
    import ctypes, os, sys, tempfile, threading
    if sys.argv[1] == "limit":
        from rag.cli import limit_malloc_arenas
        limit_malloc_arenas()
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.fopen.restype = ctypes.c_void_p
    barrier = threading.Barrier(8)

    def work():
        block = libc.malloc(4096)
        barrier.wait()
        barrier.wait()
        libc.free(ctypes.c_void_p(block))

    threads = [threading.Thread(target=work) for _ in range(7)]
    for t in threads:
        t.start()
    barrier.wait()
    path = tempfile.mktemp()
    fh = libc.fopen(path.encode(), b"w")
    libc.malloc_info(0, ctypes.c_void_p(fh))
    libc.fclose(ctypes.c_void_p(fh))
    barrier.wait()
    for t in threads:
        t.join()
    print(open(path).read().count("<heap nr="))
    os.remove(path)
    """
)


def _arenas(mode: str) -> int:
    env = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], env=env, capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_threads_share_two_malloc_arenas_instead_of_one_each() -> None:
    assert _arenas("default") > 2  # the premise: without the cap, threads spread over arenas
    assert _arenas("limit") <= 2


def test_off_a_terminal_a_long_line_is_never_wrapped_and_progress_is_a_plain_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rag.cli import _console, _ingest_progress

    err = _console(stderr=True)
    assert not err.is_terminal  # pytest captures stderr
    path = "/tmp/" + "a-long-folder-name/" * 12 + "bad name!.txt"
    err.print(f"[yellow]skipped[/]: {path}: file name must start with a letter", highlight=False)
    with _ingest_progress(err, quiet=False) as progress:
        progress("doc-1", 0, 3)
        progress("", 3, 3)
    with _ingest_progress(err, quiet=True) as progress:
        progress("", 3, 3)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"skipped: {path}: file name must start with a letter", "ingest: 3/3 documents"]
