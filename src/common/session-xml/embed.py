#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes a C file defining `const unsigned char NAME_data[]` and
`const size_t NAME_size` from the bytes of a file: embed.py NAME IN OUT."""
import sys

name, src, dst = sys.argv[1:4]
data = open(src, "rb").read()
with open(dst, "w") as out:
    out.write("/* Generated from %s by embed.py. */\n#include <stddef.h>\n\n" % src.split("/")[-1])
    out.write("const unsigned char %s_data[] = {\n" % name)
    for i in range(0, len(data), 16):
        out.write("\t" + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",\n")
    out.write("};\nconst size_t %s_size = %d;\n" % (name, len(data)))
