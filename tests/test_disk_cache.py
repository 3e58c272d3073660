"""The spaCy pattern cache's files: named and checked by what they are made from, and by their content."""

from components import disk_cache


def test_a_file_is_read_back_only_for_the_inputs_it_was_made_from(tmp_path):
    cache = disk_cache.entry("kind", "input", 1, cache_dir=tmp_path)
    assert disk_cache.load(cache) is None  # absent
    disk_cache.store(cache, {"meta": [1, None, "é"]}, b"\0payload\n")
    assert disk_cache.load(cache) == ({"meta": [1, None, "é"]}, b"\0payload\n")
    assert cache.path.name == f"kind-{cache.inputs}"

    other = disk_cache.entry("kind", "input", 2, cache_dir=tmp_path)
    other.path.write_bytes(cache.path.read_bytes())  # a valid file, under another file's name
    assert disk_cache.load(other) is None
    assert disk_cache.load(disk_cache.entry("other kind", "input", 1, cache_dir=tmp_path)._replace(
        path=cache.path)) is None  # of another kind


def test_inputs_are_told_apart_however_they_are_split(tmp_path):
    assert disk_cache.entry("k", "ab", "c").inputs != disk_cache.entry("k", "a", "bc").inputs
    assert disk_cache.entry("k", "a\0b").inputs != disk_cache.entry("k", "a", "b").inputs
    assert disk_cache.entry("k", "\ud800").inputs != disk_cache.entry("k", "\ud801").inputs  # lone surrogates


def test_any_change_to_a_file_is_refused(tmp_path, caplog):
    cache = disk_cache.entry("kind", "input", cache_dir=tmp_path)
    disk_cache.store(cache, {"n": 1}, b"payload")
    content = cache.path.read_bytes()
    for at in range(len(content)):
        cache.path.write_bytes(content[:at] + bytes([content[at] ^ 0x20]) + content[at + 1:])
        assert disk_cache.load(cache) is None, at
        cache.path.write_bytes(content[:at])
        assert disk_cache.load(cache) is None, at
    assert "ignored" in caplog.text


def test_a_failed_write_leaves_nothing_behind(tmp_path, monkeypatch):
    cache = disk_cache.entry("kind", "input", cache_dir=tmp_path)

    def failing_replace(*args):
        raise OSError("disk full")

    monkeypatch.setattr(disk_cache.os, "replace", failing_replace)
    disk_cache.store(cache, {}, b"")
    assert not list(tmp_path.iterdir())


def test_files_of_the_first_format_are_removed_when_a_file_is_written(tmp_path):
    old_pickle = tmp_path / "kind-0123"
    old_pickle.write_bytes(b"\x80\x04\x95 a pickle of the first version")
    unrelated = tmp_path / "other-0123"
    unrelated.write_bytes(b"not ours to judge")
    kept = disk_cache.entry("kind", "other input", cache_dir=tmp_path)
    disk_cache.store(kept, {}, b"")
    disk_cache.store(disk_cache.entry("kind", "input", cache_dir=tmp_path), {}, b"")
    assert not old_pickle.exists() and unrelated.exists() and disk_cache.load(kept) == ({}, b"")
