"""What a download button would send: AppTest renders the button, this runs its callable.

AppTest builds a fresh MediaFileManager for every run and drops it afterwards; `capture`
keeps a reference to each, so a test can run a deferred download (data=lambda: ...) the
way the server does when the button is clicked.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test


class _Recorder(MediaFileManager):
    made: list[MediaFileManager] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _Recorder.made.append(self)


@pytest.fixture
def downloads(monkeypatch):
    """A function: download button element -> the bytes it would download."""
    _Recorder.made = []
    monkeypatch.setattr(app_test, "MediaFileManager", _Recorder)

    def content(button) -> bytes:
        file_id = button.proto.deferred_file_id
        for mgr in reversed(_Recorder.made):
            if file_id in mgr._deferred_callables:
                url = mgr.execute_deferred(file_id)
                stored = mgr.read_file(url.rsplit("/", 1)[-1].split(".")[0])
                assert stored is not None, url
                return stored.content
        raise AssertionError(f"no deferred download {file_id!r} in this test's runs")

    return content
