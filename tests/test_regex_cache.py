"""spaCy's giant French tokenizer pattern, read back from disk, matches exactly as if compiled;
a missing or damaged cache file only costs the compilation."""

import re
import sre_parse

import pytest

from launcher import regex_cache

# Large enough to go through the cache, with what spaCy's pattern has: inline flags, alternatives,
# accents, and named and numbered groups.
WORDS = [f"mot{i}-é{i}" for i in range(12000)]
PATTERN = "(?iu)(?P<debut>^)(?:" + "|".join(WORDS) + r")(\d+)?$"
SAMPLES = ["mot17-é17", "MOT17-É17", "mot11999-é11999", "mot17-é17 ", "mot12000-é12000", "mot5-é5123", "", "assistant"]


def _behaviour(pattern):
    return (pattern.pattern, pattern.flags, pattern.groups, dict(pattern.groupindex),
            [(m.group(0), m.groups(), m.groupdict()) if m else None for m in map(pattern.match, SAMPLES)])


def test_the_pattern_read_back_from_disk_matches_as_re_compiles_it(tmp_path, monkeypatch):
    assert len(PATTERN) >= regex_cache.MIN_LENGTH
    expected = _behaviour(re.compile(PATTERN))
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, tmp_path)) == expected  # compiled, stored
    assert len(list(tmp_path.iterdir())) == 1

    def no_parsing(*args, **kwargs):
        raise AssertionError("compiled again instead of read from the cache")

    monkeypatch.setattr(sre_parse, "parse", no_parsing)
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, tmp_path)) == expected
    assert expected[4][0] is not None and expected[4][4] is None  # the samples do test matching


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xe9" * 10])
def test_a_damaged_cache_file_is_compiled_again_and_replaced(tmp_path, damage):
    regex_cache.compile_with_cache(PATTERN, 0, tmp_path)
    (cache_file,) = tmp_path.iterdir()
    cache_file.write_bytes(damage)
    assert _behaviour(regex_cache.compile_with_cache(PATTERN, 0, tmp_path)) == _behaviour(re.compile(PATTERN))
    assert cache_file.read_bytes() != damage


def test_flags_are_part_of_the_cache_key(tmp_path):
    plain = "(?:" + "|".join(WORDS) + ")"
    assert regex_cache.compile_with_cache(plain, 0, tmp_path).match("MOT3-É3") is None
    assert regex_cache.compile_with_cache(plain, re.IGNORECASE, tmp_path).match("MOT3-É3") is not None


def test_an_unwritable_cache_only_loses_the_speed_up(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert regex_cache.compile_with_cache(PATTERN, 0, blocked / "cache").match("mot3-é3")


def test_ordinary_patterns_are_left_to_re():
    assert regex_cache.compile(r"\d+") is re.compile(r"\d+")  # re's own in-memory cache
