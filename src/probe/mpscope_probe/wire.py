"""Encoding of probe messages: one JSON object in UTF-8 per packet.

A small encoder instead of the json module: importing json (and the re it
pulls in) costs 6-12 ms per interpreter start, and every process of a traced
run starts the probe. Messages only hold dicts with str keys, lists, tuples,
str, bytes-free scalars (int, bool, None).
"""
import binascii

_ESCAPES = {i: "\\u%04x" % i for i in range(0x20)}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", 0x7F: "\\u007f"})


def _string(text):
    return '"' + text.translate(_ESCAPES) + '"'


def _value(value, out):
    if isinstance(value, str):
        out.append(_string(value))
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif value is None:
        out.append("null")
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_string(str(key)))
            out.append(":")
            _value(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _value(item, out)
        out.append("]")
    else:
        out.append(_string(str(value)))


def encode(message):
    """The UTF-8 JSON text of message. Lone surrogates (undecodable file
    names under surrogateescape) become "?": the tracer needs valid UTF-8."""
    out = []
    _value(message, out)
    return "".join(out).encode("utf-8", "replace")


def base64(data):
    """Base64 text of bytes, without a trailing newline."""
    return binascii.b2a_base64(data, newline=False).decode("ascii")
