"""AdLab process plugins in Python: the framing of docs/process-protocol.md (version 1), standard library only.

Write a policy as a class and hand it to `run`:

    import adlab_plugin

    class MyPolicy:
        def __init__(self, hello):       # hello: Hello (schema, seed, slots, candidates, variant, ...)
            ...
        def decide(self, batch):          # batch: Batch; return n*slots actions (candidate index, or -1 for no ad)
            return [0] * (batch.n * batch.slots)   # or (actions, propensities)
        def learn(self, batch):           # batch.actions and batch.rewards are set
            ...

    adlab_plugin.run(MyPolicy)

An interest model (`model: { plugin: process, ... }`) has `predict(batch)`, returning n*K click probabilities (or
`(clicks, conversions)` with `predicts_conversions: true`), and `learn(batch)` with `batch.actions` and
`batch.outcomes` (a dict of the columns impressions, clicks, conversions, revenue, margin, cost, frequency).

AdLab starts the script with its stdin and stdout as the protocol pipe, so `print` goes to stderr here (AdLab
shows the end of stderr in its error messages). Arrays are `memoryview`s over the received bytes (indexable,
`len`, `tolist()`); with `run(..., numpy=True)` and numpy installed they are numpy arrays instead.
An exception in `decide` or `learn` is sent to AdLab as an error message (with the traceback) and ends the child.
"""

import os
import random
import struct
import sys
import traceback

VERSION = 1
HELLO, DECIDE, LEARN, CLOSE, PREDICT, ERROR = 1, 2, 3, 4, 5, 0x7F
OUTCOME_COLUMNS = ("impressions", "clicks", "conversions", "revenue", "margin", "cost", "frequency")
POLICY, MODEL = 1, 2
WANT_PROPENSITIES, CANDIDATE_IDS, CLICK_PREDICTIONS, CONVERSION_PREDICTIONS = 1, 2, 4, 8
NO_AD = -1
SIDES = {0: "user", 1: "context", 2: "ad"}

if sys.byteorder != "little":  # the wire is little-endian and arrays are cast in place
    raise SystemExit("adlab_plugin: big-endian hosts are not supported")


class ProtocolError(Exception):
    pass


class _Reader:
    """Reads fields from one payload."""

    def __init__(self, payload, offset=0):
        self.view = memoryview(payload)
        self.offset = offset

    def take(self, size):
        if size < 0 or self.offset + size > len(self.view):
            raise ProtocolError("payload too short: need %d bytes at offset %d of %d" % (size, self.offset, len(self.view)))
        part = self.view[self.offset:self.offset + size]
        self.offset += size
        return part

    def unpack(self, fmt):
        values = struct.unpack_from("<" + fmt, self.view, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def string(self):
        return bytes(self.take(self.unpack("I"))).decode("utf-8")

    def array(self, code, count, np=None):
        size = struct.calcsize(code)
        raw = self.take(count * size)
        if np is not None:
            return np.frombuffer(raw, dtype={"q": np.int64, "Q": np.uint64, "i": np.int32, "f": np.float32, "d": np.float64}[code])
        return raw.cast(code)


class Hello:
    """The handshake: who the child is and what batches will look like."""

    def __init__(self, payload):
        r = _Reader(payload, 1)
        self.version = r.unpack("I")
        self.kind = r.unpack("B")
        self.variant = r.string()
        self.plugin = r.string()
        self.seed = r.unpack("Q")  # the plugin's stream key: draw every random number from it
        self.replication = r.unpack("I")
        self.horizon = r.unpack("Q")
        self.batch_size, self.slots, self.candidates, self.ad_count = r.unpack("IIII")
        self.categorical = []
        for _ in range(r.unpack("I")):
            name = r.string()
            side, cardinality = r.unpack("Bq")
            self.categorical.append({"name": name, "side": SIDES.get(side, side), "cardinality": None if cardinality < 0 else cardinality})
        self.dense = []
        for _ in range(r.unpack("I")):
            name = r.string()
            side, width = r.unpack("BI")
            self.dense.append({"name": name, "side": SIDES.get(side, side), "width": width})
        self.sequences = []
        for _ in range(r.unpack("I")):
            name = r.string()
            length, vocabulary = r.unpack("Iq")
            self.sequences.append({"name": name, "max_length": length, "vocabulary": None if vocabulary < 0 else vocabulary})
        per_ad = lambda f: f["side"] == "ad"
        self.decision_categorical = sum(1 for f in self.categorical if not per_ad(f))
        self.candidate_categorical = sum(1 for f in self.categorical if per_ad(f))
        self.decision_dense_width = sum(f["width"] for f in self.dense if not per_ad(f))
        self.candidate_dense_width = sum(f["width"] for f in self.dense if per_ad(f))
        self.sequence_width = sum(f["max_length"] for f in self.sequences)

    def rng(self, salt=0):
        """A `random.Random` seeded from the handshake: the same spec and seed give the same draws."""
        return random.Random(self.seed ^ salt)


class Batch:
    """One batch of decisions (decision-major arrays; see docs/process-protocol.md, "Batch")."""

    def __init__(self, hello, reader, np=None):
        self.n, self.slots, self.candidates, self.flags = reader.unpack("IIII")
        n, k = self.n, self.candidates
        self.want_propensities = bool(self.flags & WANT_PROPENSITIES)
        self.steps = reader.array("q", n, np)
        self.user_ids = reader.array("Q", n, np)
        self.candidate_ids = reader.array("Q", n * k, np) if self.flags & CANDIDATE_IDS else None
        self.decision_categorical = reader.array("Q", n * hello.decision_categorical, np)
        self.candidate_categorical = reader.array("Q", n * k * hello.candidate_categorical, np)
        self.decision_dense = reader.array("f", n * hello.decision_dense_width, np)
        self.candidate_dense = reader.array("f", n * k * hello.candidate_dense_width, np)
        self.sequences = reader.array("Q", n * hello.sequence_width, np)
        self.sequence_lengths = reader.array("i", n * len(hello.sequences), np)
        self.click_predictions = reader.array("d", n * k, np) if self.flags & CLICK_PREDICTIONS else None
        self.conversion_predictions = reader.array("d", n * k, np) if self.flags & CONVERSION_PREDICTIONS else None
        self.actions = None
        self.rewards = None
        self.outcomes = None

    def ad_id(self, decision, candidate):
        """The ad behind a candidate: its id when the batch has ids, else its index."""
        if self.candidate_ids is None:
            return candidate
        return int(self.candidate_ids[decision * self.candidates + candidate])


def _pack_int32s(values):
    if isinstance(values, (bytes, bytearray)):
        return bytes(values)
    if hasattr(values, "astype"):
        return values.astype("<i4").tobytes()
    import array

    return array.array("i", values).tobytes()


def _pack_doubles(values):
    if hasattr(values, "astype"):
        return values.astype("<f8").tobytes()
    import array

    return array.array("d", values).tobytes()


class _Pipe:
    def __init__(self):
        self.inp = 0
        self.out = os.dup(1)
        os.dup2(2, 1)  # print() and stray writes to fd 1 now go to stderr, never into the protocol
        sys.stdout = sys.stderr

    def read_exact(self, size):
        chunks, left = [], size
        while left:
            chunk = os.read(self.inp, left)
            if not chunk:
                return None
            chunks.append(chunk)
            left -= len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def read_frame(self):
        head = self.read_exact(4)
        if head is None:
            return None
        (length,) = struct.unpack("<I", head)
        payload = self.read_exact(length)
        if payload is None or length < 1:
            raise ProtocolError("truncated frame")
        return payload

    def write_frame(self, message, *parts):
        body = b"".join(parts)
        data = memoryview(struct.pack("<IB", len(body) + 1, message) + body)
        while data:
            written = os.write(self.out, data)
            data = data[written:]


def run(factory, numpy=False):
    """Serves AdLab until it closes: `factory(hello)` makes the policy or model, then each request calls it."""
    np = None
    if numpy:
        try:
            import numpy as np  # noqa: F811
        except ImportError:
            np = None
    pipe = _Pipe()
    stage = "the handshake"
    try:
        payload = pipe.read_frame()
        if payload is None:
            return
        if payload[0] != HELLO:
            raise ProtocolError("expected the handshake, got message type %d" % payload[0])
        hello = Hello(payload)
        # Reply with our version even on a mismatch: AdLab reports it (with both numbers).
        pipe.write_frame(HELLO, struct.pack("<I", VERSION))
        if hello.version != VERSION:
            return
        plugin = factory(hello)
        while True:
            payload = pipe.read_frame()
            if payload is None:
                return
            message = payload[0]
            if message == DECIDE:
                stage = "decide"
                batch = Batch(hello, _Reader(payload, 1), np)
                result = plugin.decide(batch)
                propensities = None
                if isinstance(result, tuple):
                    result, propensities = result
                actions = _pack_int32s(result)
                count = len(actions) // 4
                if propensities is not None and batch.want_propensities:
                    pipe.write_frame(DECIDE, struct.pack("<I", count), actions, b"\x01", _pack_doubles(propensities))
                else:
                    pipe.write_frame(DECIDE, struct.pack("<I", count), actions, b"\x00")
            elif message == PREDICT:
                stage = "predict"
                batch = Batch(hello, _Reader(payload, 1), np)
                result = plugin.predict(batch)
                conversions = None
                if isinstance(result, tuple):
                    result, conversions = result
                clicks = _pack_doubles(result)
                count = struct.pack("<I", len(clicks) // 8)
                if conversions is not None:
                    pipe.write_frame(PREDICT, count, clicks, b"\x01", _pack_doubles(conversions))
                else:
                    pipe.write_frame(PREDICT, count, clicks, b"\x00")
            elif message == LEARN:
                stage = "learn"
                reader = _Reader(payload, 1)
                batch = Batch(hello, reader, np)
                entries = batch.n * batch.slots
                batch.actions = reader.array("i", entries, np)
                if hello.kind == MODEL:
                    batch.outcomes = {name: reader.array("d", entries, np) for name in OUTCOME_COLUMNS}
                    batch.rewards = None
                else:
                    batch.rewards = reader.array("d", entries, np)
                if hasattr(plugin, "learn"):
                    plugin.learn(batch)
                pipe.write_frame(LEARN)
            elif message == CLOSE:
                if hasattr(plugin, "close"):
                    plugin.close()
                pipe.write_frame(CLOSE)
                return
            else:
                raise ProtocolError("unknown message type %d" % message)
    except Exception:
        text = traceback.format_exc()
        sys.stderr.write(text)
        try:
            pipe.write_frame(ERROR, struct.pack("<I", len(text.encode())), text.encode())
        except OSError:
            pass
        sys.exit(1)
