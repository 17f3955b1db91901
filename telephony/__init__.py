"""Telephony adapters: each platform's websocket protocol as a pure parser.

One module per platform, sans I/O, in the style of ``websockets``' protocol core: frames in,
typed events (and the replies the platform expects) out, and every bad input mapped to a
:class:`redactor.errors.ProtocolError` whose ``code`` says what was wrong, never what the frame
held. The server's asyncio layer only moves bytes between a socket and these parsers and hands
the audio to the same call pipeline ``/v1/call`` feeds.

* :mod:`telephony.twilio`: Twilio Media Streams (and SignalWire, Telnyx, Fonoster variants).
* :mod:`telephony.audiohook`: Genesys Cloud AudioHook, protocol version 2.
* :mod:`telephony.fork`: FreeSWITCH ``mod_audio_fork`` and jambonz ``listen``.

Imports go one way: ``telephony`` uses ``redactor.errors`` and nothing of the server.
"""
