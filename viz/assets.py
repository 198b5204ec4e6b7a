"""The offline asset cache: the browser packages the Solara page loads, fetched once from npm.

Solara's page loads its front end (Vue, Vuetify, RequireJS, Font Awesome), and this project's charts
load Vega, Vega-Lite and vega-embed, from a public CDN, through the server's proxy at
``/_solara/cdn/<name>@<version>/<file>``. The proxy first
looks for ``$SOLARA_ASSETS_PROXY_CACHE_DIR/<name>@<version>/<file>``; when every file is there, the
page renders with no internet connection. :func:`prepare` fills such a folder from the npm registry
(``npm pack NAME@VERSION``, unpacked into ``<cache>/<name>@<version>/``); it is idempotent.

:data:`PACKAGES` lists what the page requests with the pinned widget stack (``ipyvue<2``,
``ipyvuetify<2``, solara 1.64) and the charts' libraries (:data:`VEGA`, the versions Altair's specs
are written for); the browser test runs the page against a dead CDN, so a missing package fails it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

VEGA: dict[str, tuple[str, str]] = {
    "vega": ("6.3.0", "build/vega.min"),
    "vega-lite": ("6.4.1", "build/vega-lite.min"),  # the Vega-Lite version Altair 6.3 writes
    "vega-embed": ("7.3.0", "build/vega-embed.min"),
}
"""The charts' libraries: npm name -> (exact version, module file without ``.js``)."""

PACKAGES: tuple[tuple[str, str], ...] = (
    ("@widgetti/solara-vuetify-app", "10.1.1"),  # Vue 2, Vuetify 2, the page's application bundle
    ("requirejs", "2.3.6"),  # module loader used by the widgets
    ("font-awesome", "4.5.0"),  # icons
    *((name, version) for name, (version, _) in VEGA.items()),  # the charts (viz/vega.vue)
)
"""(npm name, exact version) of every package the page requests from the CDN."""

DEFAULT_CACHE = Path(__file__).resolve().parent.parent / ".solara-assets"
"""The project's git-ignored cache folder."""

_COMPLETE = ".complete"


class AssetError(RuntimeError):
    """The cache cannot be prepared; the message says why and what to do."""


def vega_modules() -> dict[str, str]:
    """Where the browser finds the charts' libraries, relative to the CDN proxy (RequireJS paths)."""
    return {name: f"{folder_name(name, version)}/{file}" for name, (version, file) in VEGA.items()}


def folder_name(name: str, version: str) -> str:
    """The folder the CDN proxy looks in, e.g. ``@widgetti/vue-grid-layout@2.3.13-alpha.2``."""
    return f"{name}@{version}"


def missing(cache: Path = DEFAULT_CACHE) -> list[str]:
    """Packages of :data:`PACKAGES` not (completely) unpacked in ``cache``."""
    return [
        folder_name(name, version) for name, version in PACKAGES
        if not (cache / folder_name(name, version) / _COMPLETE).is_file()
    ]


def is_ready(cache: Path = DEFAULT_CACHE) -> bool:
    """Whether ``cache`` holds every package the page needs."""
    return not missing(cache)


def environment(cache: Path = DEFAULT_CACHE) -> dict[str, str]:
    """Environment variables that make a Solara server use ``cache`` and send no telemetry."""
    return {
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache.resolve()),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    }


def prepare(cache: Path = DEFAULT_CACHE, npm: str | None = None, log=print) -> list[str]:
    """Fetch every missing package of :data:`PACKAGES` into ``cache``; return those fetched.

    Each package is packed by npm into a temporary folder and unpacked into a temporary sibling of
    its final folder, which is renamed into place only when complete, so an interrupted run leaves
    no half-filled package behind. Packages already present are left alone.

    Raises:
        AssetError: npm is not installed, or a package cannot be fetched or unpacked.
    """
    todo = [(n, v) for n, v in PACKAGES if folder_name(n, v) in missing(cache)]
    if not todo:
        return []
    npm = npm or shutil.which("npm")
    if npm is None:
        raise AssetError(
            "npm is not installed: install Node.js and npm (Debian: apt-get install npm), "
            "then run 'python run.py viz --prepare-assets' again"
        )
    cache.mkdir(parents=True, exist_ok=True)
    fetched = []
    for name, version in todo:
        spec = folder_name(name, version)
        log(f"fetching {spec} from the npm registry")
        target = cache / spec
        with tempfile.TemporaryDirectory() as work:
            result = subprocess.run(
                [npm, "pack", spec, "--silent", "--pack-destination", work],
                capture_output=True, text=True, check=False,
            )
            tarballs = list(Path(work).glob("*.tgz"))
            if result.returncode != 0 or len(tarballs) != 1:
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise AssetError(
                    f"'npm pack {spec}' failed: {detail[-1] if detail else 'no tarball produced'} "
                    "(is the npm registry reachable?)"
                )
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=target.parent))
            try:
                _unpack(tarballs[0], staging)
                (staging / _COMPLETE).write_text(f"{spec}\n")
                if target.exists():
                    shutil.rmtree(target)
                os.replace(staging, target)
            finally:
                if staging.exists():
                    shutil.rmtree(staging)
        fetched.append(spec)
    return fetched


def _unpack(tarball: Path, destination: Path) -> None:
    """Extract an npm tarball's ``package/`` folder into ``destination`` (no paths outside it)."""
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            if not (member.isfile() or member.isdir()):
                continue
            parts = Path(member.name).parts
            if len(parts) < 2 or ".." in parts:
                continue
            relative = Path(*parts[1:])  # drop the top folder, "package/" in npm tarballs
            out = destination / relative
            if member.isdir():
                out.mkdir(parents=True, exist_ok=True)
                continue
            out.parent.mkdir(parents=True, exist_ok=True)
            source = archive.extractfile(member)
            if source is None:
                raise AssetError(f"{tarball.name}: cannot read {member.name}")
            with source, open(out, "wb") as sink:
                shutil.copyfileobj(source, sink)
