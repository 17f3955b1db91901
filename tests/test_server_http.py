"""The HTTP side of the port: health, metrics, keys, paths, the handshake details that
vosk-server clients depend on."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from redactor.keys import create_key, revoke_key


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_healthz(live_server):
    assert get(live_server.http + "/healthz")[0] == 200


def test_metrics_are_prometheus_text_with_what_the_server_did(live_server):
    with live_server.connect("/v1/chat") as ws:
        ws.send(json.dumps({"type": "message", "session": "metrics-1", "speaker": "customer",
                            "text": "email saya budi@example.com"}))
        ws.recv(timeout=10)
        ws.send("{")
        ws.recv(timeout=10)
    status, content_type, body = get(live_server.http + "/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    for metric in ('redactor_active_sessions{kind="chat"}', 'redactor_messages_total{kind="chat"}',
                   'redactor_detections_total{entity_type="EMAIL_ADDRESS"}',
                   'redactor_client_errors_total{code="bad_json"}', "redactor_audio_seconds_total",
                   'redactor_latency_seconds_bucket{le="0.1",stage="chat"}'):
        assert metric in body, metric
    assert "budi@example.com" not in body


def test_unknown_path_is_404(live_server):
    assert get(live_server.http + "/v2/everything")[0] == 404


@pytest.mark.parametrize("headers, query", [
    ({}, ""),
    ({"Authorization": "Bearer rk_00000000_wrong"}, ""),
    ({"Authorization": "Basic dXNlcjpwYXNz"}, ""),
    ({}, "?token=rk_deadbeef_nope"),
    ({}, "?token="),
])
def test_missing_or_bad_key_is_401(live_server, headers, query):
    with pytest.raises(InvalidStatus) as refused:
        connect(live_server.url + "/v1/chat" + query, additional_headers=headers, open_timeout=10)
    assert refused.value.response.status_code == 401
    assert refused.value.response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_key_is_refused_and_token_query_works(live_server):
    key = create_key(live_server.app.storage, name="short-lived")
    with connect(f"{live_server.url}/v1/chat?token={key}", open_timeout=10) as ws:
        assert ws.protocol.state.name == "OPEN"
    assert revoke_key(live_server.app.storage, key)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"{live_server.url}/v1/chat?token={key}", open_timeout=10)
    assert refused.value.response.status_code == 401


@pytest.mark.parametrize("offered, answered", [
    (["ws"], "ws"),  # Asterisk res_speech_vosk
    (None, None),  # FreeSWITCH mod_vosk, most clients
    (["chat", "ws"], "ws"),
])
def test_subprotocol_is_answered_only_when_offered(live_server, offered, answered):
    with live_server.connect("/", subprotocols=offered) as ws:
        assert ws.subprotocol == answered
        assert ws.response.headers.get("Sec-WebSocket-Protocol") == answered


def test_no_extension_is_answered_even_when_deflate_is_offered(live_server):
    with live_server.connect("/v1/chat", compression="deflate") as ws:  # offers permessage-deflate
        assert "Sec-WebSocket-Extensions" not in ws.response.headers


def test_calls_without_a_model_are_a_clear_error_and_chat_still_works(tmp_path, redactor):
    import server
    from tests.live import start_server

    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path)
    live = start_server(settings, redactor, model=None)
    try:
        with live.connect("/v1/call") as ws:
            ws.send(json.dumps({"type": "start", "call_id": "no-model"}))
            reply = json.loads(ws.recv(timeout=10))
            assert reply["type"] == "error" and reply["code"] == "model_unavailable"
        with live.connect("/vosk") as ws:
            ws.send(b"\x00\x00" * 1600)
            assert json.loads(ws.recv(timeout=10))["code"] == "model_unavailable"
        with live.connect("/v1/chat") as ws:
            ws.send(json.dumps({"type": "message", "session": "s", "speaker": "customer",
                                "text": "terima kasih"}))
            assert json.loads(ws.recv(timeout=10))["text"] == "terima kasih"
    finally:
        live.close()


def self_signed_certificate(directory) -> tuple[str, str]:
    """A certificate for 127.0.0.1, and its key, as PEM files."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = directory / "cert.pem", directory / "key.pem"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return str(certfile), str(keyfile)


def test_tls_serves_wss_and_https(tmp_path, redactor):
    import ssl

    import server
    from tests.live import start_server

    certfile, keyfile = self_signed_certificate(tmp_path)
    settings = server.Settings(port=0, db=str(tmp_path / "r.db"), data_dir=tmp_path / "data")
    live = start_server(settings, redactor, None, tls=server.tls_context(certfile, keyfile))
    trust = ssl.create_default_context(cafile=certfile)
    try:
        with live.connect("/v1/chat", ssl=trust) as ws:
            assert live.url.startswith("wss://")
            ws.send(json.dumps({"type": "message", "session": "s", "speaker": "agent", "text": "halo"}))
            assert json.loads(ws.recv(timeout=10))["text"] == "halo"
        with urllib.request.urlopen(f"https://127.0.0.1:{live.port}/healthz", context=trust) as response:
            assert response.status == 200
        with pytest.raises(ssl.SSLError):  # a client that does not trust it cannot talk to it
            with connect(f"{live.url}/v1/chat", ssl=ssl.create_default_context(), open_timeout=10):
                pass
    finally:
        live.close()


def test_server_command_refuses_half_a_tls_setup(capsys):
    import server

    assert server.main(["--certfile", "cert.pem"]) == 2
    assert "--certfile and --keyfile go together" in capsys.readouterr().err


def test_one_server_process_serves_with_its_models_out_of_the_collectors_reach(monkeypatch, tmp_path):
    """Each full collection over the models' objects took about 100 ms, during which no
    session was answered: the single process freezes them, as the workers of ``--workers``
    do (``Supervisor``)."""
    import gc

    import server

    frozen_while_serving = []

    async def serve(app, tls):
        frozen_while_serving.append(gc.get_freeze_count())

    models = [[i] for i in range(1000)]  # what loading the models leaves behind
    monkeypatch.setattr(server, "load_models", lambda *args: (models, None))
    monkeypatch.setattr(server, "App", lambda *args: SimpleNamespace(close=lambda: None))
    monkeypatch.setattr(server, "serve_until_signalled", serve)
    gc.unfreeze()
    try:
        assert server.main(["--workers", "1", "--db", str(tmp_path / "r.db"),
                            "--data-dir", str(tmp_path)]) == 0
    finally:
        gc.unfreeze()
    assert frozen_while_serving and frozen_while_serving[0] >= len(models)
