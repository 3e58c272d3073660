"""The page origins the channels accept (credentials.yml, or WEBCHAT_ALLOWED_ORIGINS), without servers."""

import pytest
import yaml

from channels.origins import allowed_origins
from channels.socketio_channel import SocketIOInput
from tests.conftest import ROOT


def test_allowed_origins_come_from_credentials_or_the_environment():
    assert allowed_origins({"cors_allowed_origins": ["https://www.example.fr/"]}, {}) == ["https://www.example.fr"]
    assert allowed_origins({}, {}) == ["http://127.0.0.1:8080", "http://localhost:8080"]
    assert allowed_origins({"cors_allowed_origins": ["https://a.fr"]},
                                   {"WEBCHAT_ALLOWED_ORIGINS": "http://127.0.0.1:9000, https://b.fr"}) == \
        ["http://127.0.0.1:9000", "https://b.fr"]
    assert allowed_origins({"cors_allowed_origins": []}, {}) == []
    for wrong in ("*", "https://www.example.fr/chat", "www.example.fr"):
        with pytest.raises(ValueError):
            allowed_origins({"cors_allowed_origins": [wrong]}, {})


def test_the_channel_never_switches_the_origin_check_off(monkeypatch):
    """python-engineio reads [] as "accept every origin": an empty list must become same-origin only."""
    monkeypatch.delenv("WEBCHAT_ALLOWED_ORIGINS", raising=False)

    async def ignore(message):
        return None

    listed = SocketIOInput.from_credentials({"session_persistence": True,
                                                      "cors_allowed_origins": ["https://www.example.fr"]})
    listed.blueprint(ignore)
    assert listed.sio.eio.cors_allowed_origins == ["https://www.example.fr"] and listed.session_persistence
    empty = SocketIOInput.from_credentials({"cors_allowed_origins": []})
    empty.blueprint(ignore)
    assert empty.sio.eio.cors_allowed_origins is None


def test_credentials_use_the_origin_checked_channel():
    credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert "rest" not in credentials and "socketio" not in credentials  # Rasa's unchecked channels
    socketio = credentials["channels.socketio_channel.SocketIOInput"]
    assert socketio["session_persistence"] is True
    assert socketio["cors_allowed_origins"] == ["http://127.0.0.1:8080", "http://localhost:8080"]
    assert credentials["channels.rest_channel.RestInput"]["cors_allowed_origins"] == socketio["cors_allowed_origins"]
