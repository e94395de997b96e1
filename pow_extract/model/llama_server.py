"""The embedded model's server process: llama-cpp-python's OpenAI server, with greedy decoding under a grammar made
about 1.5 times faster and its answers unchanged.

llama-cpp-python 0.3.x samples every token through the chain [repetition penalties, grammar, greedy], and the
grammar sampler checks all 151,936 tokens of Qwen's vocabulary against the JSON schema at every step, before the
greedy pick. llama.cpp's own server does it the other way round (its ``common_sampler``): pick first, check only
the picked token, and fall back to the whole vocabulary when the grammar rejects it. Here the same idea, kept exact:

1. take the ``CANDIDATES`` tokens with the highest raw logits (in token-id order, as llama.cpp lays them out);
2. run the chain's own penalty and grammar samplers on those alone (C code, the same state as the full chain);
3. the greedy choice among them is the full vocabulary's greedy choice when its logit is strictly above the lowest
   raw logit of the candidates: penalties only lower logits, so no token outside them can reach it (:func:`choose`);
4. otherwise, or when anything is not as expected (sampling at a temperature, no grammar, a penalty that raises
   logits, another sampler in the chain), llama-cpp-python's own ``sample`` runs, untouched.

The chosen token is accepted by the whole chain, as llama-cpp-python's sampling does, so the penalties' history and
the grammar's state stay the same. On four recorded real-news requests the answers were byte-identical to the plain
server's and 1.26-1.61 times faster (``evals/experiments/README.md``); ``tests/test_live.py`` checks the equality
against the real server. ``POW_EXTRACT_GREEDY_FIRST=0`` runs the plain server (for A/B runs).

llama-cpp-python's server has no hook for its sampler, so :func:`main` builds the server app as
``python -m llama_cpp.server`` does, then gives the one model it loaded the subclass :func:`greedy_first_class`
(same data, one method overridden). Run as ``python -m pow_extract.model.llama_server`` with the flags of
``python -m llama_cpp.server``.
"""

from __future__ import annotations

import argparse
import ctypes
import math
import os
import sys
from collections.abc import Iterable
from typing import Any

#: How many of the highest raw logits are checked by penalties and grammar before the whole vocabulary is.
CANDIDATES = 128
#: Environment switch: ``0`` serves with llama-cpp-python's own sampling.
GREEDY_FIRST_ENV = "POW_EXTRACT_GREEDY_FIRST"


def greedy_first_enabled() -> bool:
    """True unless :data:`GREEDY_FIRST_ENV` is ``0`` / ``false`` / ``no`` / ``off``."""
    return os.environ.get(GREEDY_FIRST_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


def choose(candidates: Iterable[tuple[int, float]], floor: float) -> int | None:
    """The greedy token among ``candidates`` - (token id, logit after penalties and grammar) in token-id order, a
    rejected token's logit being ``-inf`` - or ``None`` when that choice could differ from the whole vocabulary's:
    nothing accepted, or the best logit not strictly above ``floor`` (the lowest raw logit among the candidates,
    which every token left out is at most). Ties go to the first, as llama.cpp's greedy sampler does."""
    best: int | None = None
    best_logit = -math.inf
    for token, logit in candidates:
        if logit > best_logit:
            best, best_logit = token, logit
    if best is None or not best_logit > floor:
        return None
    return best


def _greedy_first(llama: Any, options: dict[str, Any]) -> int | None:
    """The token llama-cpp-python's sampler would pick, found from the top :data:`CANDIDATES` logits, or ``None``
    when the shortcut does not apply or cannot be sure (the caller then samples as usual)."""
    import llama_cpp
    import numpy as np

    sampler = getattr(llama, "_sampler", None)
    if (
        options.get("grammar") is None
        or options.get("temp") != 0.0
        or options.get("idx") is None
        or options.get("logits_processor") is not None
        or options.get("repeat_penalty", 1.0) < 1.0
        or options.get("frequency_penalty", 0.0) < 0.0
        or options.get("presence_penalty", 0.0) < 0.0
        or sampler is None
        or llama_cpp.llama_sampler_chain_n(sampler.sampler) != 3  # penalties, grammar, greedy
    ):
        return None
    chain = sampler.sampler
    pointer = llama_cpp.llama_get_logits_ith(llama._ctx.ctx, options["idx"] - llama.n_tokens)
    logits = np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),))
    top = np.sort(np.argpartition(logits, -CANDIDATES)[-CANDIDATES:])
    data = (llama_cpp.llama_token_data * CANDIDATES)()
    for slot, token in enumerate(top.tolist()):
        data[slot].id = token
        data[slot].logit = float(logits[token])
        data[slot].p = 0.0
    array = llama_cpp.llama_token_data_array(data=data, size=CANDIDATES, selected=-1, sorted=False)
    for position in (0, 1):  # the chain's own penalties, then its grammar
        llama_cpp.llama_sampler_apply(llama_cpp.llama_sampler_chain_get(chain, position), ctypes.byref(array))
    token = choose(((int(data[i].id), float(data[i].logit)) for i in range(array.size)), float(logits[top].min()))
    if token is not None:
        llama_cpp.llama_sampler_accept(chain, token)  # penalties' history and grammar state, as sampling does
    return token


def greedy_first_class(base: type[Any]) -> type[Any]:
    """A subclass of llama-cpp-python's ``Llama`` whose ``sample`` tries :func:`_greedy_first` first."""

    class GreedyFirstLlama(base):  # type: ignore[misc]
        def sample(self, *args: Any, **kwargs: Any) -> int:
            token = None if args else _greedy_first(self, kwargs)
            return int(token) if token is not None else int(super().sample(*args, **kwargs))

    GreedyFirstLlama.__name__ = GreedyFirstLlama.__qualname__ = f"GreedyFirst{base.__name__}"
    return GreedyFirstLlama


def main(argv: list[str] | None = None) -> None:
    """Serve like ``python -m llama_cpp.server`` (same flags), with the greedy-first grammar check."""
    import uvicorn
    from llama_cpp.server import app as server_app
    from llama_cpp.server.cli import add_args_from_model, parse_model_from_args
    from llama_cpp.server.settings import ModelSettings, ServerSettings, Settings

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    add_args_from_model(parser, Settings)
    args = parser.parse_args(argv)
    server_settings: Any = parse_model_from_args(ServerSettings, args)
    model_settings: Any = parse_model_from_args(ModelSettings, args)
    app = server_app.create_app(server_settings=server_settings, model_settings=[model_settings])
    model = server_app._llama_proxy._current_model if server_app._llama_proxy is not None else None
    on = model is not None and greedy_first_enabled()
    if on:
        model.__class__ = greedy_first_class(type(model))
    print(f"pow_extract: greedy-first grammar check {'on' if on else 'off'} ({GREEDY_FIRST_ENV})", file=sys.stderr)
    uvicorn.run(app, host=server_settings.host, port=server_settings.port)


if __name__ == "__main__":
    main()
