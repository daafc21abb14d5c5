#!/usr/bin/env python3
"""Summarises an async-profiler HTML flame graph: the methods with the most self samples, and the
share of samples under frames matching given patterns (inclusive, counted once per stack).

    python3 benchmarks/flame-top.py benchmarks/target/results/gateway-cpu.html [pattern ...]
"""
import ast
import re
import sys


def build(path):
    text = open(path, encoding="utf-8").read()
    start = text.index("const cpool = [")
    end = text.index("];", start)
    cpool = [ast.literal_eval(line.strip().rstrip(",")) for line in text[start + len("const cpool = ["):end].splitlines() if line.strip()]
    for i in range(1, len(cpool)):
        cpool[i] = cpool[i - 1][: ord(cpool[i][0]) - 32] + cpool[i][1:]
    levels = {}
    level0 = left0 = width0 = 0
    body = text[text.index("unpack(cpool);", end) + len("unpack(cpool);"):]
    for name, args in re.findall(r"^([fun])\(([^)]*)\)", body, re.M):
        a = [int(x) for x in args.split(",")]
        key = a[0]
        if name == "f":
            level, left, width = a[1], a[2], (a[3] if len(a) > 3 else 0)
        elif name == "u":
            level, left, width = level0 + 1, 0, (a[1] if len(a) > 1 else 0)
        else:
            level, left, width = level0, width0, (a[1] if len(a) > 1 else 0)
        level0 = level
        left0 += left
        width0 = width or width0
        levels.setdefault(level, []).append((left0, width0, cpool[key >> 3]))
    return levels


def main():
    path, patterns = sys.argv[1], sys.argv[2:]
    levels = build(path)
    total = sum(w for _, w, _ in levels[0])
    self_samples = {}
    depth = max(levels)
    for level in range(depth + 1):
        children = sorted(levels.get(level + 1, []))
        for left, width, title in levels[level]:
            covered = sum(w for l, w, _ in children if left <= l < left + width)
            self_samples[title] = self_samples.get(title, 0) + width - covered
    print(f"{total} samples")
    print("top self:")
    for title, n in sorted(self_samples.items(), key=lambda kv: -kv[1])[:25]:
        print(f"  {100 * n / total:5.1f} %  {title}")
    for pattern in patterns:
        regex = re.compile(pattern)
        spans = []
        for level in sorted(levels):
            for left, width, title in levels[level]:
                if regex.search(title) and not any(l <= left < l + w for l, w in spans):
                    spans.append((left, width))
        print(f"  {100 * sum(w for _, w in spans) / total:5.1f} % under /{pattern}/")


if __name__ == "__main__":
    main()
