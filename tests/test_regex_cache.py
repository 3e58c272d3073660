"""spaCy's giant French tokenizer pattern, read back from disk, matches exactly as if compiled;
a missing, damaged, stale, swapped or inconsistent cache file only costs the compilation, and is
rewritten."""

import re
import shutil
import sre_parse
from array import array

import pytest

from components import disk_cache, regex_cache
from tests.cache_damage import damages, decoded, header_end, rewrite

# What spaCy's pattern has: inline flags, alternatives, accents, and named and numbered groups; large
# enough for its compilation to show (a few hundred milliseconds), a third of MIN_LENGTH so that the
# tests stay quick (compile_with_cache caches whatever it is given).
WORDS = [f"mot{i}-é{i}" for i in range(4000)]
PATTERN = "(?iu)(?P<debut>^)(?:" + "|".join(WORDS) + r")(\d+)?$"
OTHER_PATTERN = PATTERN.replace("mot", "mut")  # the same shape, other words
SAMPLES = ["mot17-é17", "MOT17-É17", "mot3999-é3999", "mot17-é17 ", "mot4000-é4000", "mot5-é5123", "", "assistant"]


def _behaviour(pattern):
    return (pattern.pattern, pattern.flags, pattern.groups, dict(pattern.groupindex),
            [(m.group(0), m.groups(), m.groupdict()) if m else None for m in map(pattern.match, SAMPLES)])


EXPECTED = _behaviour(re.compile(PATTERN))


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    """The cache files of PATTERN and OTHER_PATTERN, each compiled once for the module."""
    files = {}
    for name, pattern in (("PATTERN", PATTERN), ("OTHER_PATTERN", OTHER_PATTERN)):
        cache_dir = tmp_path_factory.mktemp(name)
        regex_cache.compile_with_cache(pattern, 0, cache_dir)
        files[name] = _cache_file(cache_dir)
    return files


@pytest.fixture
def cache_dir(tmp_path, stored):
    """A cache holding PATTERN's file, as the first compilation left it."""
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir()
    shutil.copy(stored["PATTERN"], cache_dir / stored["PATTERN"].name)
    return cache_dir


def _cache_file(cache_dir):
    (cache_file,) = cache_dir.iterdir()
    return cache_file


def _no_compiling(monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(sre_parse, "parse", no_parsing)


def test_the_pattern_read_back_from_disk_matches_as_re_compiles_it(tmp_path, monkeypatch):
    assert len(PATTERN) >= regex_cache.MIN_LENGTH // 3
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, tmp_path)) == EXPECTED  # compiled, stored
    assert len(list(tmp_path.iterdir())) == 1
    _no_compiling(monkeypatch)
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, tmp_path)) == EXPECTED
    assert EXPECTED[4][0] is not None and EXPECTED[4][4] is None  # the samples do test matching


def test_the_file_is_data_and_its_probes_exercise_the_pattern(stored):
    cache_file = stored["PATTERN"]
    assert cache_file.read_bytes().startswith(disk_cache.MAGIC)  # no marshal, no pickle
    entry, meta, payload = decoded(cache_file, "regex")
    assert cache_file.name == f"regex-{entry.inputs}"
    assert len(payload) % 4 == 0 and meta["groups"] == 2 and meta["groupindex"] == {"debut": 1}
    assert any(meta["probes"]) and None in meta["probes"]  # some probes match, some do not


def _swap(cache_file, stored):
    """A valid cache file, but of another pattern, copied under this one's name."""
    shutil.copyfile(stored["OTHER_PATTERN"], cache_file)


DAMAGES = damages(_swap, "code")


@pytest.mark.parametrize("damage", DAMAGES, ids=list(DAMAGES))
def test_a_damaged_or_swapped_file_is_compiled_again_and_replaced(cache_dir, stored, monkeypatch, caplog, damage):
    cache_file = _cache_file(cache_dir)
    good = cache_file.read_bytes()
    DAMAGES[damage](cache_file, stored)
    assert cache_file.read_bytes() != good

    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, cache_dir)) == EXPECTED
    assert cache_file.read_bytes() == good  # rewritten, as it was
    assert (damage == "emptied") or "ignored" in caplog.text
    _no_compiling(monkeypatch)
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, cache_dir)) == EXPECTED  # and read back


def _code_in(cache_file):
    content = cache_file.read_bytes()
    return content[header_end(content) + 1:]


def _bad_code(payload):
    words = array("I", payload)
    words[0] = 0xFFFF_FFF0  # no such opcode
    return words.tobytes()


INCONSISTENT = {
    "flags without the ones asked": dict(change_meta=lambda m: m.update(flags=0)),
    "flags not an int": dict(change_meta=lambda m: m.update(flags="34")),
    "group count too high": dict(change_meta=lambda m: m.update(groups=10**10)),
    "group count as bool": dict(change_meta=lambda m: m.update(groups=True)),
    "group names disagree": dict(change_meta=lambda m: m.update(groupindex={"debut": 2})),
    "group names missing": dict(change_meta=lambda m: m.update(groupindex={})),
    "index of the wrong length": dict(change_meta=lambda m: m["indexgroup"].append(None)),
    "an extra field": dict(change_meta=lambda m: m.update(extra=1)),
    "no probes": dict(change_meta=lambda m: m.update(probes=[])),
    "code not in whole words": dict(change_payload=lambda p: p + b"\0"),
    "no code": dict(change_payload=lambda p: b""),
    "invalid code": dict(change_payload=_bad_code),
}


@pytest.mark.parametrize("change", INCONSISTENT, ids=list(INCONSISTENT))
def test_a_file_whose_content_does_not_validate_is_compiled_again(cache_dir, caplog, change):
    cache_file = _cache_file(cache_dir)
    good = cache_file.read_bytes()
    rewrite(cache_file, "regex", **INCONSISTENT[change])
    assert cache_file.read_bytes() != good
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, cache_dir)) == EXPECTED
    assert "ignored" in caplog.text
    assert cache_file.read_bytes() == good


def test_the_code_of_another_pattern_is_caught_by_the_probes(cache_dir, stored, caplog):
    # Valid code, same groups and flags, an intact file naming this pattern's inputs: only the
    # behavioural check can tell.
    cache_file = _cache_file(cache_dir)
    rewrite(cache_file, "regex", change_payload=lambda payload: _code_in(stored["OTHER_PATTERN"]))
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, cache_dir)) == EXPECTED
    assert "probe" in caplog.text


def test_flags_are_part_of_the_cache_key(tmp_path):
    plain = "(?:" + "|".join(WORDS) + ")"
    assert regex_cache.compile_with_cache(plain, 0, tmp_path).match("MOT3-É3") is None
    assert regex_cache.compile_with_cache(plain, re.IGNORECASE, tmp_path).match("MOT3-É3") is not None
    assert len(list(tmp_path.iterdir())) == 2


def test_an_unwritable_cache_only_loses_the_speed_up(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert regex_cache.compile_with_cache(PATTERN, 0, blocked / "cache").match("mot3-é3")


def test_ordinary_patterns_are_left_to_re():
    assert regex_cache.compile(r"\d+") is re.compile(r"\d+")  # re's own in-memory cache


def test_a_pattern_whose_flags_cannot_be_known_without_compiling_it_is_not_kept(tmp_path):
    late_flags = "(?:" + "|".join(WORDS) + ")(?i)"  # a global flag not at the start: deprecated
    with pytest.warns(DeprecationWarning):
        compiled = regex_cache.compile_with_cache(late_flags, 0, tmp_path)
    assert compiled.match("MOT3-É3") and compiled.flags == re.IGNORECASE | re.UNICODE
    assert not list(tmp_path.iterdir())
