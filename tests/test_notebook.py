"""examples/quickstart.ipynb runs from top to bottom, offline, replaying the model answers in evals/cassettes.

The notebook is executed with nbclient in a temporary copy (the committed file and its stored outputs are left
alone) with the repository root as working directory and no model endpoint configured. Any cell error fails the
test with the cell's traceback.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs nbclient (test extra)")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs nbclient (test extra)")
pytest.importorskip("ipykernel", reason="the notebook test needs ipykernel (test extra)")
pytest.importorskip("matplotlib", reason="the notebook test needs matplotlib (test extra)")

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "quickstart.ipynb"
CELL_TIMEOUT = 120  # seconds per cell; the whole notebook takes a few seconds


def test_quickstart_notebook_runs_offline_without_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / NOTEBOOK.name
    shutil.copyfile(NOTEBOOK, copy)
    # The kernel inherits this environment: nothing to talk to, no recording. MPLBACKEND would override the
    # kernel's inline backend (which needs no display) and the plot would not reach the outputs.
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "POW_EXTRACT_MODEL", "POW_EXTRACT_RECORD", "MPLBACKEND"):
        monkeypatch.delenv(name, raising=False)

    notebook = nbformat.read(copy, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on the first error
    nbformat.write(notebook, copy)

    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    mimes = {mime for o in outputs for mime in o.get("data", {})}
    assert "image/png" in mimes, "the timeline plot was not drawn"
    assert "text/markdown" in mimes, "the evaluation section displayed nothing"
