"""Scale without a change of answer: any number of jobs, the cache cold or warm, give the same
output byte for byte. (How fast and how small is measured by bench/scale.py, never here.)"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from usm_rules import api
from usm_rules.check.cache import FileCache
from usm_rules.cli import cli

pytestmark = pytest.mark.slow  # see README.md#two-commands: the quick run leaves these out


def _check(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, ["check", *args], env={"SOURCE_DATE_EPOCH": "0"})
    return done.exit_code, done.stdout


@pytest.fixture()
def samples(tmp_path, monkeypatch):
    """A copy of the sample processes, read on every core however small (as a big run is)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(api, "BIG", 0)
    shutil.copytree(SAMPLES, tmp_path / "samples")
    return tmp_path / "samples"


@pytest.mark.parametrize("format_", ["json", "sarif", "text"])
def test_the_output_is_the_same_whatever_the_number_of_jobs(samples, format_):
    one = _check("samples", "--format", format_, "--jobs", "1", "--no-cache")
    for jobs in ("2", "3", "0"):
        assert _check("samples", "--format", format_, "--jobs", jobs, "--no-cache") == one
    assert one[0] == 1 and "USM0101" in one[1]


def test_a_warm_cache_gives_the_same_output_and_an_edit_is_seen(samples, tmp_path):
    cache = tmp_path / "cache"
    cold = _check("samples", "--format", "json", "--cache-dir", str(cache))
    entries = [p for p in (cache / "files").rglob("*") if p.is_file()]
    assert len(entries) == len(json.loads(cold[1])["files"]) > 20  # one per file read
    assert len([p for p in (cache / "runs").rglob("*") if p.is_file()]) == 1  # the engine's matches
    assert _check("samples", "--format", "json", "--cache-dir", str(cache)) == cold
    assert _check("samples", "--format", "json", "--no-cache") == cold
    # other rules: the engine's kept matches are not these rules' matches
    assert _check("samples", "--format", "json", "--select", "R9", "--cache-dir", str(cache)) == \
        _check("samples", "--format", "json", "--select", "R9", "--no-cache")
    # an edited file is read anew: here a process renamed, which the findings must show
    recover = samples / "reference" / "recover.yaml"
    recover.write_text(recover.read_text(encoding="utf-8").replace("name: recover\n", "name: recover-it\n", 1),
                       encoding="utf-8")
    edited = _check("samples", "--format", "json", "--cache-dir", str(cache))
    assert edited == _check("samples", "--format", "json", "--no-cache")
    assert edited != cold and "recover-it" in edited[1]


def test_a_broken_cache_entry_is_read_anew(samples, tmp_path):
    cache = tmp_path / "cache"
    cold = _check("samples/reference", "--format", "json", "--cache-dir", str(cache))
    for entry in (p for p in cache.rglob("*") if p.is_file()):
        entry.write_bytes(b"not a pickle")
    assert _check("samples/reference", "--format", "json", "--cache-dir", str(cache)) == cold


def test_no_cache_leaves_the_cache_alone(samples, tmp_path):
    cache = tmp_path / "cache"
    _check("samples/reference", "--no-cache", "--cache-dir", str(cache))
    assert not cache.exists()


def test_reading_settings_and_content_are_part_of_the_key(tmp_path):
    english, dutch = FileCache(tmp_path, "language=en"), FileCache(tmp_path, "language=nl")
    assert english.key("a.yaml", b"x") != dutch.key("a.yaml", b"x")
    assert english.key("a.yaml", b"x") != english.key("a.yaml", b"y")
    assert english.key("a.yaml", b"x") != english.key("b.yaml", b"x")
    english.put(english.key("a.yaml", b"x"), {"kept": True})
    assert english.get(english.key("a.yaml", b"x")) == {"kept": True}
    assert dutch.get(dutch.key("a.yaml", b"x")) is None


def test_an_unwritable_cache_is_no_error(samples, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    code, output = _check("samples/reference", "--format", "json", "--cache-dir", str(blocked / "cache"))
    assert code == 0 and json.loads(output)["files"]


def _crash_on_two(value):
    import os
    import signal

    if value == 2:
        os.kill(os.getpid(), signal.SIGSEGV)
    return value * 10


def test_the_hub_runs_each_task_in_a_child_and_survives_a_crash():
    from usm_rules.engine.workers import shared_hub

    hub = shared_hub()
    assert hub is not None and hub is shared_hub()  # one per process
    assert hub.run(_crash_on_two, [1, 2, 3], 2) == [10, None, 30]
    assert hub.run(_crash_on_two, [4], 1) == [40]  # and goes on serving


class _Store(dict):
    def get(self, key):
        return super().get(key)

    def put(self, key, value):
        self[key] = value


def test_remembered_parts_are_not_run_again_and_numbers_follow_the_facts(monkeypatch):
    from usm_rules.engine import runner as engine
    from usm_rules.engine import workers
    from usm_rules.engine.conditions import compile_condition

    rule = ("T1", compile_condition([
        {"fact": "Activity", "as": "a"},
        {"fact": "Activity", "as": "b", "pairedWith": "a", "where": {"normName": {"ref": "a.normName"}}},
    ]))
    facts = [{"type": "Activity", "fid": i, "normName": name} for i, name in enumerate("xyxzz", 1)]
    store = _Store()
    first = engine.run_rules([rule], facts, memo=store)
    assert sorted(m.fids for m in first["T1"]) == [(("a", 1), ("b", 3)), (("a", 4), ("b", 5))]
    assert len(store) == 1  # one entry per part (both pairs fit in one)

    def no_engine(*args, **kwargs):
        raise AssertionError("a remembered part ran again")

    monkeypatch.setattr(workers.Hub, "run", no_engine)
    # another file's facts came first: every number shifts by 2, the parts are the same
    shifted = [{"type": "Process", "fid": 1, "name": "p"}, {"type": "Process", "fid": 2, "name": "q"},
               *({**fact, "fid": fact["fid"] + 2} for fact in facts)]
    again = engine.run_rules([rule], shifted, memo=store)
    assert sorted(m.fids for m in again["T1"]) == [(("a", 3), ("b", 5)), (("a", 6), ("b", 7))]


def test_two_runs_at_once_share_a_cache_safely(samples, tmp_path):
    # entries are written to a temporary file and renamed into place: two runs filling the same
    # cache at the same time both give the uncached answer, and so does a third run after them
    import subprocess
    import sys

    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "usm_rules", "check", "samples", "--format", "json", "--cache-dir", str(cache)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env={**os.environ, "SOURCE_DATE_EPOCH": "0"}) for _ in range(2)]
    outputs = [run.communicate()[0] for run in runs]
    expected = _check("samples", "--format", "json", "--no-cache")[1]
    assert outputs == [expected, expected]
    assert _check("samples", "--format", "json", "--cache-dir", str(cache))[1] == expected
    assert not list(cache.rglob(".tmp-*"))  # no half-written entry left behind


def test_the_catalogue_is_kept_and_an_edited_rule_pack_is_read_anew(tmp_path, monkeypatch):
    from test_catalog import CUSTOM, PROCESS

    monkeypatch.chdir(tmp_path)
    (tmp_path / "pack").mkdir()
    (tmp_path / "pack" / "acme.yaml").write_text(CUSTOM, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PROCESS, encoding="utf-8")
    cache = tmp_path / "cache"

    def messages() -> list[str]:
        code, output = _check("--rules", "pack", "--format", "json", "--cache-dir", str(cache), "p.yaml")
        assert code == 1
        return [f["message"] for f in json.loads(output)["findings"] if f["rule"] == "ACME001"]

    assert messages() == ["activity 'Register the failure' of recover: our house style wants a description"]
    assert len([p for p in (cache / "catalogs").rglob("*") if p.is_file()]) == 1
    assert messages() == ["activity 'Register the failure' of recover: our house style wants a description"]
    (tmp_path / "pack" / "acme.yaml").write_text(CUSTOM.replace("our house style", "house style"), encoding="utf-8")
    assert messages() == ["activity 'Register the failure' of recover: house style wants a description"]
    assert len([p for p in (cache / "catalogs").rglob("*") if p.is_file()]) == 2
