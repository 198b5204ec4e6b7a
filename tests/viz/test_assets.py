"""The offline asset cache and the ``viz`` command's checks (no network, no server)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cli import main
from tests.support.viz_fixtures import HUBLESS_TOML, write
from viz import assets

FAKE_NPM = """#!{python}
# A stand-in for npm: 'npm pack SPEC --silent --pack-destination DIR' writes an npm-style tarball.
import io, sys, tarfile
from pathlib import Path
args = sys.argv[1:]
with open({log!r}, "a") as log:
    log.write(" ".join(args) + "\\n")
spec, destination = args[1], Path(args[args.index("--pack-destination") + 1])
if spec.startswith("font-awesome"):
    sys.stderr.write("npm ERR! 404 Not Found\\n")
    sys.exit(1) if {fail_font!r} else None
name = spec.rsplit("@", 1)[0].replace("/", "-").lstrip("@")
with tarfile.open(destination / (name + ".tgz"), "w:gz") as archive:
    for path, text in (("package/package.json", spec), ("package/dist/main.js", "// " + spec),
                       ("../escape.txt", "outside")):
        data = text.encode()
        info = tarfile.TarInfo(path)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
"""


def fake_npm(folder: Path, fail_font: bool = False) -> tuple[str, Path]:
    log = folder / "npm.log"
    script = folder / "npm"
    script.write_text(FAKE_NPM.format(python=sys.executable, log=str(log), fail_font=fail_font))
    script.chmod(0o755)
    return str(script), log


def test_prepare_unpacks_each_package_where_the_cdn_proxy_looks(tmp_path):
    npm, log = fake_npm(tmp_path)
    cache = tmp_path / "cache"
    fetched = assets.prepare(cache, npm=npm, log=lambda _: None)
    assert fetched == [f"{n}@{v}" for n, v in assets.PACKAGES]
    app = cache / "@widgetti" / "solara-vuetify-app@10.1.1"
    assert (app / "dist" / "main.js").read_text() == "// @widgetti/solara-vuetify-app@10.1.1"
    assert (cache / "vega-lite@6.4.1" / "dist" / "main.js").is_file()
    assert (cache / "requirejs@2.3.6" / "package.json").is_file()
    assert not (cache / "escape.txt").exists() and not (tmp_path / "escape.txt").exists()
    assert assets.is_ready(cache)
    assert len(log.read_text().splitlines()) == len(assets.PACKAGES)


def test_prepare_is_idempotent(tmp_path):
    npm, log = fake_npm(tmp_path)
    cache = tmp_path / "cache"
    assets.prepare(cache, npm=npm, log=lambda _: None)
    calls = log.read_text()
    assert assets.prepare(cache, npm=npm, log=lambda _: None) == []
    assert log.read_text() == calls  # npm was not run again


def test_a_failed_package_is_reported_and_leaves_no_half_folder(tmp_path):
    npm, _ = fake_npm(tmp_path, fail_font=True)
    cache = tmp_path / "cache"
    with pytest.raises(assets.AssetError, match=r"'npm pack font-awesome@4.5.0' failed: npm ERR! 404"):
        assets.prepare(cache, npm=npm, log=lambda _: None)
    # the packages before it are in place, it and those after it are missing
    assert assets.missing(cache) == ["font-awesome@4.5.0", "vega@6.3.0", "vega-lite@6.4.1",
                                     "vega-embed@7.3.0"]
    assert not (cache / "font-awesome@4.5.0").exists()
    assert not list(cache.glob(".unpack-*"))


def test_missing_npm_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(assets.AssetError, match="npm is not installed"):
        assets.prepare(tmp_path / "cache")


def test_environment_points_solara_at_the_cache(tmp_path):
    env = assets.environment(tmp_path)
    assert env == {"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path.resolve()),
                   "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}


def test_the_listed_versions_are_those_the_page_requests():
    import altair
    import solara

    root = Path(solara.__file__).parent
    sources = "".join(
        p.read_text(errors="replace")
        for pattern in ("server/templates/solara.html.j2", "server/settings.py",
                        "server/starlette.py")
        for p in root.glob(pattern)
    )
    for name, version in assets.PACKAGES:
        if name in assets.VEGA:
            continue
        assert f"{name}@{version}" in sources, f"solara no longer requests {name}@{version}"
    # the charts load exactly the Vega-Lite that Altair writes its specs for
    assert assets.VEGA["vega-lite"][0] == altair.VEGALITE_VERSION
    assert assets.vega_modules() == {
        "vega": "vega@6.3.0/build/vega.min", "vega-lite": "vega-lite@6.4.1/build/vega-lite.min",
        "vega-embed": "vega-embed@7.3.0/build/vega-embed.min"}
    assert set(assets.VEGA) <= {name for name, _ in assets.PACKAGES}


def test_the_chart_libraries_are_in_a_prepared_cache():
    if not assets.is_ready():
        pytest.skip("no offline asset cache here: 'python run.py viz --prepare-assets' makes one")
    for path in assets.vega_modules().values():
        assert (assets.DEFAULT_CACHE / f"{path}.js").is_file(), path


def test_prepare_assets_command(tmp_path, capsys, monkeypatch):
    npm, _ = fake_npm(tmp_path)
    monkeypatch.setenv("PATH", f"{tmp_path}:{Path(sys.executable).parent}")
    cache = tmp_path / "cache"
    assert main(["viz", "--prepare-assets", "--assets", str(cache)]) == 0
    assert "fetched @widgetti/solara-vuetify-app@10.1.1" in capsys.readouterr().out
    assert main(["viz", "--prepare-assets", "--assets", str(cache)]) == 0
    assert "already complete" in capsys.readouterr().out


@pytest.mark.parametrize("argv, message", [
    (["--set", "theatre_coupling=7"], "error: parameter 'theatre_coupling': 7.0 is outside"),
    (["--set", "structure=none"], "error: --set structure=none: the structure is not a --set "
                                  "parameter; give --structure NAME (--structures LEFT RIGHT for viz)"),
    (["--port", "70000"], "error: --port must be between 0 and 65535, got 70000"),
    (["--scenario", "atlantis"], "error: unknown scenario 'atlantis'"),
])
def test_viz_refuses_bad_options_before_serving(argv, message, capsys):
    assert main(["viz", *argv]) == 2
    assert capsys.readouterr().err.startswith(message)


def test_viz_refuses_a_hub_structure_for_a_hubless_scenario(tmp_path, capsys):
    path = write(tmp_path, HUBLESS_TOML)
    assert main(["viz", "--scenario", str(path), "--structures", "lattice", "none"]) == 2
    assert "structure 'lattice' needs a hub" in capsys.readouterr().err
