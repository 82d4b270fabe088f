"""Encoding of probe messages: one JSON object in UTF-8 per packet.

A small encoder instead of the json module: importing json (and the re it
pulls in) costs 6-12 ms per interpreter start, and every process of a traced
run starts the probe. Messages only hold dicts with str keys, lists, tuples,
str, bytes-free scalars (int, bool, None).

The pickle events a busy Pool sends by the hundred thousand do not go through
encode(): pickles.py and audit.py fill fixed byte templates, with the strings
that repeat (type names, looked-up globals) encoded once through json_bytes().
That is 5-10 times cheaper than the generic walk below; the unit tests check
that both produce the same JSON.
"""
import binascii

_ESCAPES = {i: "\\u%04x" % i for i in range(0x20)}
_ESCAPES.update({ord('"'): '\\"', ord("\\"): "\\\\", 0x7F: "\\u007f"})

# Strings seen on the hot path (type names, module and global names) repeat
# thousands of times; a program that makes up names without end only ever
# costs this many entries before the cache starts over.
_CACHE_LIMIT = 4096
_cache = {}


def _string(text):
    # Nearly every string is printable ASCII without quotes or backslashes:
    # three C-level checks instead of a translate() that copies the text.
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return '"' + text + '"'
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


def json_bytes(value):
    """encode(value) for a str or a tuple of str, remembered: for the few
    names that recur in every pickle event of a run."""
    data = _cache.get(value)
    if data is None:
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        data = _cache[value] = encode(value)
    return data


def base64_bytes(data):
    """Base64 of bytes, without a trailing newline, as bytes: the templates
    are bytes, so the text never makes a decode/encode round trip."""
    return binascii.b2a_base64(data, newline=False)
