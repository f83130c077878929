#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""trace_stats.py TRACE_DIR: prints "events=N discarded=N data_bytes=N".

events: event messages counted by babeltrace2's counter sink; discarded:
for each stream, the cumulative events_discarded of its last packet, read
from its index file (big-endian, 72-byte entries); data_bytes: size of the
stream files (metadata and indexes excluded).
"""
import pathlib
import re
import struct
import subprocess
import sys


def discarded_and_bytes(root):
    discarded = data_bytes = 0
    for idx in root.rglob("index/*.idx"):
        raw = idx.read_bytes()
        magic, major, minor, entry_len = struct.unpack(">IIII", raw[:16])
        body = raw[16:]
        if magic != 0xC1F1DCC1 or entry_len < 56 or len(body) < entry_len:
            continue
        last = body[len(body) - len(body) % entry_len - entry_len:][:entry_len]
        discarded += struct.unpack(">Q", last[40:48])[0]
        stream = idx.parent.parent / idx.name[:-len(".idx")]
        data_bytes += stream.stat().st_size
    return discarded, data_bytes


def main():
    root = pathlib.Path(sys.argv[1])
    out = subprocess.run(["babeltrace2", str(root), "-c", "sink.utils.counter"],
                         capture_output=True, text=True, check=True).stdout
    events = int(re.findall(r"(\d+) Event messages", out)[-1])  # the final count
    discarded, data_bytes = discarded_and_bytes(root)
    print(f"events={events} discarded={discarded} data_bytes={data_bytes}")


if __name__ == "__main__":
    main()
