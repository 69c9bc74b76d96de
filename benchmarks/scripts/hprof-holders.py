#!/usr/bin/env python3
"""Who holds the large arrays of a Java heap dump (HPROF 1.0.2, 8-byte ids), without a heap analyser.

  java -Xmx64m -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath=/tmp/oom.hprof -jar iptv.jar package ...
  benchmarks/scripts/hprof-holders.py /tmp/oom.hprof [MIN_BYTES]

Prints the bytes of all objects, then the arrays of at least MIN_BYTES (default 100,000) grouped by the fields
that refer to them and, one level up, by the fields that refer to those holders (e.g. a 256 KiB sample block held
by ByteSlice.array, held by MediaSample.data). Round 10 of benchmarks/README.md found the three causes of an
out-of-memory error in 64 MB this way. Reads the whole dump into memory; a 50 MB dump takes a few seconds.
"""
import collections
import struct
import sys

TYPE_SIZES = {2: 8, 4: 1, 5: 2, 6: 4, 7: 8, 8: 1, 9: 2, 10: 4, 11: 8}  # 2 = object reference
PRIMITIVE_NAMES = {4: "boolean[]", 5: "char[]", 6: "float[]", 7: "double[]", 8: "byte[]", 9: "short[]",
                   10: "int[]", 11: "long[]"}


def read(path):
    data = open(path, "rb").read()
    i = data.index(b"\0") + 1
    if struct.unpack(">I", data[i:i + 4])[0] != 8:
        sys.exit("only dumps with 8-byte ids are read")
    i += 12
    u4 = lambda p: struct.unpack(">I", data[p:p + 4])[0]
    u2 = lambda p: struct.unpack(">H", data[p:p + 2])[0]
    rid = lambda p: struct.unpack(">Q", data[p:p + 8])[0]
    strings, class_names, classes, instances, arrays = {}, {}, {}, {}, {}
    while i < len(data):
        tag, length = data[i], u4(i + 5)
        body, end = i + 9, i + 9 + length
        if tag == 0x01:  # UTF8
            strings[rid(body)] = data[body + 8:end].decode("utf-8", "replace")
        elif tag == 0x02:  # LOAD CLASS: serial, class id, stack serial, name id
            class_names[rid(body + 4)] = strings.get(rid(body + 16), "?").replace("/", ".")
        elif tag in (0x0C, 0x1C):  # HEAP DUMP (SEGMENT)
            p = body
            while p < end:
                sub = data[p]
                p += 1
                if sub == 0xFF: p += 8
                elif sub in (0x01,): p += 16
                elif sub in (0x02, 0x03, 0x08): p += 16
                elif sub in (0x04, 0x06): p += 12
                elif sub in (0x05, 0x07): p += 8
                elif sub == 0x20:  # CLASS DUMP
                    cid, super_id = rid(p), rid(p + 12)
                    p += 8 + 4 + 6 * 8 + 4
                    n = u2(p); p += 2
                    for _ in range(n): p += 3 + TYPE_SIZES[data[p + 2]]
                    n = u2(p); p += 2
                    for _ in range(n): p += 9 + TYPE_SIZES[data[p + 8]]
                    n = u2(p); p += 2
                    fields = []
                    for _ in range(n):
                        fields.append((strings.get(rid(p), "?"), data[p + 8])); p += 9
                    classes[cid] = (super_id, fields)
                elif sub == 0x21:  # INSTANCE DUMP
                    n = u4(p + 20)
                    instances[rid(p)] = (rid(p + 12), p + 24, n)
                    p += 24 + n
                elif sub == 0x22:  # OBJECT ARRAY DUMP
                    n = u4(p + 12)
                    arrays[rid(p)] = (class_names.get(rid(p + 16), "?") + "[]", 16 + 8 * n, (p + 24, n))
                    p += 24 + 8 * n
                elif sub == 0x23:  # PRIMITIVE ARRAY DUMP
                    n, t = u4(p + 12), data[p + 16]
                    arrays[rid(p)] = (PRIMITIVE_NAMES[t], 16 + n * TYPE_SIZES[t], None)
                    p += 17 + n * TYPE_SIZES[t]
                else:
                    sys.exit("unknown heap dump record %#x" % sub)
        i = end

    def fields_of(cid):
        out = []
        while cid in classes:
            super_id, own = classes[cid]
            out += own
            cid = super_id
        return out

    def referrers(targets):
        """target id -> [(referring object id, 'Class.field' or 'Type[]')]"""
        found = collections.defaultdict(list)
        for oid, (cid, start, _) in instances.items():
            p = start
            for name, t in fields_of(cid):
                if t == 2:
                    r = rid(p)
                    if r in targets:
                        found[r].append((oid, class_names.get(cid, "?") + "." + name))
                p += TYPE_SIZES[t]
        for oid, (kind, _, refs) in arrays.items():
            if refs:
                start, n = refs
                for j in range(n):
                    r = rid(start + 8 * j)
                    if r in targets:
                        found[r].append((oid, kind))
        return found

    return instances, arrays, referrers


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    min_bytes = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    instances, arrays, referrers = read(sys.argv[1])
    total = sum(size for _, size, _ in arrays.values()) + sum(16 + n for _, _, n in instances.values())
    print("objects: %d bytes (%d instances, %d arrays)" % (total, len(instances), len(arrays)))
    big = {oid for oid, (_, size, _) in arrays.items() if size >= min_bytes}
    holders = referrers(big)
    up = referrers({h for refs in holders.values() for h, _ in refs})
    groups = collections.defaultdict(lambda: [0, 0])
    for oid in big:
        kind, size, _ = arrays[oid]
        first = sorted({field for _, field in holders.get(oid, [])}) or ["(no holder: a root or garbage)"]
        second = sorted({field for h, _ in holders.get(oid, []) for _, field in up.get(h, [])})
        key = (kind, ", ".join(first[:3]), ", ".join(second[:3]))
        groups[key][0] += size
        groups[key][1] += 1
    print("arrays of %d bytes or more, by holder and the holder's holder:" % min_bytes)
    for (kind, first, second), (size, count) in sorted(groups.items(), key=lambda g: -g[1][0]):
        print("%12d bytes %5d × %-8s held by %s%s" % (size, count, kind, first, ("  <- " + second) if second else ""))


if __name__ == "__main__":
    main()
