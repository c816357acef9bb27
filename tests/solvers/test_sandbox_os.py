"""The operating-system wall, tested on its own: Python really runs inside a confined job process (through
a test-only runner that calls `exec`, as an interpreter escape would), and must fail to write, connect,
read outside the Python installation, spawn, or reach the caller. Each layer is also tested alone, to show
what it stops by itself; a layer this machine does not offer is skipped with its reason."""
import json
import os
import socket
import tempfile
import threading
from pathlib import Path

import pytest

import sandbox_probe
from solvers.base import Limits
from solvers.sandbox.confine import LAYERS
from solvers.sandbox.pool import WorkerPool

REPO = Path(__file__).resolve().parents[2]

ATTEMPTS = {  # name: (code, layers that stop it alone)
    "write_tmp": ("open({tmp_file!r}, 'w').write('x')", {"seccomp", "landlock"}),
    "write_cwd": ("open('probe.txt', 'w').write('x')", {"seccomp", "landlock", "scratch_cwd"}),
    "write_home": ("open({home_file!r} + '.new', 'w').write('x')", {"seccomp", "landlock"}),
    "append_existing": ("f = open({home_file!r}, 'a')\nf.write('x')\nf.flush()", {"seccomp", "landlock", "rlimits"}),
    "read_passwd": ("outcome = open('/etc/passwd').read()", {"landlock"}),
    "read_home": ("outcome = open({home_file!r}).read()", {"landlock"}),
    "read_project": ("outcome = open({readme!r}).read()", {"landlock"}),
    "read_caller_env": ("outcome = open('/proc/{caller}/environ', 'rb').read()", {"landlock"}),
    "tcp_connect": ("import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2).sendall(b'hi')",
                    {"seccomp", "netns", "landlock"}),
    "unix_connect": ("import socket\ns = socket.socket(socket.AF_UNIX)\ns.connect({unix_path!r})", {"seccomp"}),
    "fork": ("import os\npid = os.fork()\nif pid == 0:\n    os._exit(0)", {"seccomp"}),
    "subprocess": ("import subprocess\nsubprocess.run(['/bin/true'], check=True)", {"seccomp"}),
    "exec": ("import os\nos.execv('/bin/true', ['true'])", {"seccomp", "landlock"}),
    "kill_caller": ("import os\nos.kill({caller}, 0)", {"seccomp", "landlock"}),
    "ptrace_caller": ("import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                      "assert libc.ptrace(16, {caller}, 0, 0) == 0, ctypes.get_errno()", {"seccomp"}),
}
SANITY = {  # must still work when every layer is on: the failures above are not "everything is broken"
    "import_sympy": "import sympy\noutcome = str(sympy.Integer(2) ** 10)",
    "read_stdlib": "import os\noutcome = open(os.__file__).read(20)",
    "threads": "import threading\nt = threading.Thread(target=lambda: None)\nt.start()\nt.join()\noutcome = 1",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Things an escaped payload would go for: a TCP and a unix listener, a secret in the home folder."""
    tcp = socket.socket()
    tcp.bind(("127.0.0.1", 0))
    tcp.listen(8)
    unix_dir = tmp_path_factory.mktemp("probe")
    unix = socket.socket(socket.AF_UNIX)
    unix.bind(str(unix_dir / "sock"))
    unix.listen(8)
    accepted = []
    for server in (tcp, unix):
        threading.Thread(target=lambda s=server: accepted.append(s.accept()), daemon=True).start()
    fd, home_file = tempfile.mkstemp(prefix=".hybrid-probe-", dir=Path.home())
    os.write(fd, b"secret")
    os.close(fd)
    values = {"tmp_file": str(unix_dir / "written"), "home_file": home_file, "readme": str(REPO / "README.md"),
              "caller": os.getpid(), "port": tcp.getsockname()[1], "unix_path": str(unix_dir / "sock")}
    yield values, accepted
    os.unlink(home_file)
    tcp.close()
    unix.close()


def _pool(layers):
    pool = WorkerPool(size=1, runner=sandbox_probe.exec_runner, layers=tuple(layers))
    pool.warm()
    return pool


def _attempt(pool, code: str, values: dict) -> dict:
    out = pool.run("exec", code.format(**values), Limits(timeout_s=10))
    assert out["status"] == "ok", out
    return json.loads(out["value"])


@pytest.fixture(scope="module")
def confined():
    pool = _pool(LAYERS)
    yield pool
    pool.close()


def test_every_layer_is_on_here(confined):
    off = {k: v for k, v in confined.layers.items() if not v.startswith("on")}
    if off:
        pytest.skip(f"layers off on this machine: {off}")
    assert set(confined.layers) == set(LAYERS)


@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_confined_job_cannot(name, confined, world):
    values, accepted = world
    report = _attempt(confined, ATTEMPTS[name][0], values)
    assert not report["ok"], f"{name} succeeded inside the sandbox: {report}"
    assert Path(values["home_file"]).read_text() == "secret"
    assert not Path(values["tmp_file"]).exists() and not Path(values["home_file"] + ".new").exists()


@pytest.mark.parametrize("name", sorted(SANITY))
def test_confined_job_still_works(name, confined):
    report = _attempt(confined, SANITY[name], {})
    assert report["ok"], report


def test_nothing_reached_the_listeners(confined, world):
    _values, accepted = world
    assert accepted == []


def test_job_process_holds_no_descriptor_to_the_caller(confined):
    code = ("import os\nopen_fds = []\nfor fd in range(64):\n    try:\n        os.fstat(fd)\n"
            "        open_fds.append(fd)\n    except OSError:\n        pass\n"
            "null = os.stat('/dev/null').st_rdev\n"
            "outcome = (open_fds, [os.fstat(fd).st_rdev == null for fd in (0, 1, 2)])")
    fds, std_is_null = eval(_attempt(confined, code, {})["value"])  # noqa: S307 - our own repr of ints
    assert fds[:3] == [0, 1, 2] and len(fds) == 5, fds  # stdio on /dev/null, the job's two pipes
    assert std_is_null == [True, True, True]


def test_string_parsing_is_off_in_the_worker_even_when_the_interpreter_is_bypassed(confined):
    report = _attempt(confined, "import sympy\noutcome = sympy.sympify('1 + 1')", {})
    assert not report["ok"] and "switched off" in report["error"]
    report = _attempt(confined, "import sympy\noutcome = sympy.S('x') ", {})
    assert not report["ok"] and "switched off" in report["error"]


def test_a_poisoned_job_process_poisons_nothing_after_it():
    pool = WorkerPool(size=1, runner=sandbox_probe.poison_runner)
    try:
        assert [pool.run("poison", "", Limits())["value"] for _ in range(3)] == ["clean"] * 3
    finally:
        pool.close()


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if layer != "process_per_job"])
def test_each_layer_alone_stops_its_share(layer, world):
    values, _accepted = world
    pool = _pool((layer, "process_per_job"))
    try:
        status = pool.layers.get(layer, "")
        if not status.startswith("on"):
            pytest.skip(f"{layer} is not available here: {status}")
        stopped = [name for name, (code, by) in ATTEMPTS.items() if layer in by]
        for name in stopped:
            report = _attempt(pool, ATTEMPTS[name][0], values)
            assert not report["ok"], f"{layer} alone did not stop {name}: {report}"
        assert Path(values["home_file"]).read_text() == "secret"
    finally:
        pool.close()
    for leftover in (values["tmp_file"], values["home_file"] + ".new"):
        if os.path.exists(leftover):
            os.unlink(leftover)


def test_unconfined_pool_really_lets_the_attempts_through(world):
    """The probe is honest: with no layer on, the same attempts succeed (so the tests above can fail)."""
    values, _accepted = world
    pool = _pool(("process_per_job",))
    try:
        for name in ("read_passwd", "fork", "write_tmp"):
            assert _attempt(pool, ATTEMPTS[name][0], values)["ok"], name
    finally:
        pool.close()
        if os.path.exists(values["tmp_file"]):
            os.unlink(values["tmp_file"])


def test_the_job_sees_none_of_the_callers_environment(confined, monkeypatch):
    monkeypatch.setenv("HYBRID_PROBE_SECRET", "sk-not-for-programs")  # the pool's workers started earlier
    fresh = _pool(LAYERS)  # a worker started now, with the secret in the caller's environment
    try:
        report = _attempt(fresh, "import os\noutcome = sorted(os.environ)", {})
        assert report == {"ok": True, "value": "[]"}, report
    finally:
        fresh.close()
