"""``run.py viz``: the browser view (a Solara app), and the set-up of its offline asset cache.

``python run.py viz`` serves ``app.py`` on http://127.0.0.1:8765 (``--host``/``--port`` to change):
the side-by-side view at ``/`` and the results explorer of ``--results DIR`` at ``/explorer``. It
prints the address, and uses the offline asset cache (``.solara-assets/``) when it is complete;
``python run.py viz --prepare-assets`` fills that cache from the npm registry (once; idempotent).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
from pathlib import Path

from .options import add_model_options, check_seed, check_structures, parse_overrides, whole

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PORT = 8765


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "viz", help="open the browser view: two structures side by side, and the results explorer",
        description=(
            "Serve the browser view: the alliance network, charts and crisis log of two structures "
            "run on the same seed and crisis stream, side by side; and the results explorer, which "
            "shows stored experiments and replays any design point side by side. The options set "
            "what the page starts with; its sidebar changes them."
        ),
    )
    add_model_options(parser)
    parser.add_argument("--structures", nargs=2, default=None, metavar=("LEFT", "RIGHT"),
                        help="structures of the left and right panes (default: the compared pair, "
                             "hub_and_spoke collective)")
    parser.add_argument("--seed", type=whole, default=1, help="the panes' shared seed (default: 1)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("--port", type=whole, default=DEFAULT_PORT,
                        help=f"port to listen on (default: {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--results", type=Path, default=Path("results"), metavar="DIR",
                        help="folder whose experiments the results explorer lists (default: results)")
    parser.add_argument("--assets", type=Path, default=None, metavar="DIR",
                        help="offline asset cache folder (default: .solara-assets in the project)")
    parser.add_argument("--prepare-assets", action="store_true",
                        help="fetch the page's browser packages from the npm registry into the "
                             "offline asset cache, then exit (needs npm; does nothing if complete)")
    parser.set_defaults(handler=main)


def free_port(host: str) -> int:
    """A port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _check_address(host: str, port: int) -> int:
    """The port to serve on, once ``host`` resolves and the port is free there; ``ValueError``
    naming the option otherwise (before anything starts)."""
    try:
        socket.getaddrinfo(host, port or None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        reason = error.strerror if isinstance(error, socket.gaierror) else str(error)
        raise ValueError(f"--host {host}: cannot be resolved to an address ({reason})") from None
    try:
        if port == 0:
            return free_port(host)
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET,
                           socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise ValueError(f"--host {host} --port {port}: cannot listen there "
                         f"({error.strerror or error})") from None
    return port


def exposure_warning(host: str) -> str | None:
    """A warning when ``host`` is not this machine only: whoever reaches the page can run the model
    here (and read the results folder it is given)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return None
    if addresses and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        return None
    return (f"warning: --host {host} serves the browser view beyond this machine: anyone who can "
            "reach it can run the model here and read the results it lists; the default, "
            "127.0.0.1, serves this machine only")


def main(args: argparse.Namespace) -> int:
    # One function: the command's three modes (prepare the assets, check them, serve the app) share
    # the cache and the server's settings, and read top to bottom as the user's choices.
    from viz import assets

    cache = (args.assets or assets.DEFAULT_CACHE).resolve()
    if args.prepare_assets:
        try:
            fetched = assets.prepare(cache)
        except assets.AssetError as problem:
            raise ValueError(str(problem)) from None
        state = f"fetched {', '.join(fetched)}" if fetched else "already complete"
        print(f"offline asset cache {cache}: {state}")
        return 0

    from model.structure import COMPARED
    from scenarios import load
    from viz.controls import Settings  # imports no solara: its settings are read from the environment

    structures = tuple(args.structures or COMPARED)
    check_structures(structures)
    if not 0 <= args.port <= 65535:
        raise ValueError(f"--port must be between 0 and 65535, got {args.port}")
    check_seed("--seed", args.seed)
    overrides = parse_overrides(args.overrides)
    if "structure" in overrides:
        raise ValueError("set the panes' structures with --structures LEFT RIGHT, not --set structure=")
    scenario = load(args.scenario)  # refuse a bad scenario here, with its message
    from scenarios import require_hub

    for structure in structures:
        require_hub(scenario, structure)
    settings = Settings(scenario=args.scenario, structures=structures, seed=args.seed,
                        overrides=overrides, results=str(args.results.resolve()))
    port = _check_address(args.host, args.port)
    warning = exposure_warning(args.host)
    if warning:
        print(warning, file=sys.stderr, flush=True)

    from viz.controls import SETTINGS_VARIABLE, settings_to_environment

    os.environ[SETTINGS_VARIABLE] = settings_to_environment(settings)
    os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "False"
    if assets.is_ready(cache):
        os.environ.update(assets.environment(cache))
        source = f"offline asset cache {cache}"
    else:
        source = ("the public CDN (no complete offline cache; 'python run.py viz --prepare-assets' "
                  "makes one)")
    print(f"browser view: http://{args.host}:{port}/  (browser packages from {source}; "
          "Ctrl-C stops it)", flush=True)

    import click
    from solara.__main__ import run as solara_run

    try:
        solara_run.main(
            [str(ROOT / "app.py"), "--host", args.host, "--port", str(port), "--production",
             "--no-open", "--no-check-version"],
            standalone_mode=False,
        )
    except SystemExit as done:
        return int(done.code or 0)
    except click.exceptions.Abort:  # Ctrl-C: the server has stopped
        return 0
    return 0

