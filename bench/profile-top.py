#!/usr/bin/env python3
"""Top frames of a silo profile recorded by bench/run.sh (COMPASSCI_BENCH_PROFILE; dotnet-trace's speedscope file).

    bench/profile-top.py /tmp/after.speedscope.json [--top 25]

dotnet-trace samples every thread's managed stack; a sample whose stack ends in CPU_TIME was running managed code,
one ending in UNMANAGED_CODE_TIME was in native code (waiting in epoll or on a lock, or working: GC, socket calls).
Only CPU_TIME samples are counted here: "self" is the frame that was running, "inclusive" every frame on its stack.
"""
import argparse
import collections
import json

parser = argparse.ArgumentParser()
parser.add_argument("profile")
parser.add_argument("--top", type=int, default=25)
args = parser.parse_args()

with open(args.profile) as f:
    data = json.load(f)
names = [frame["name"] for frame in data["shared"]["frames"]]
own = collections.Counter()
inclusive = collections.Counter()
running = 0.0
for profile in data["profiles"]:
    stack, last = [], None
    for event in profile["events"]:
        if stack and last is not None and names[stack[-1]] == "CPU_TIME":
            elapsed = event["at"] - last
            running += elapsed
            if len(stack) > 1:
                own[stack[-2]] += elapsed
            for frame in set(stack[:-1]):
                inclusive[frame] += elapsed
        last = event["at"]
        if event["type"] == "O":
            stack.append(event["frame"])
        elif event["frame"] in stack:
            del stack[len(stack) - 1 - stack[::-1].index(event["frame"])]


def short(name):
    return name.split("!", 1)[-1].split("(", 1)[0][-140:]


print(f"managed CPU time sampled: {running / 1000:.1f} s")
print("\nself (the frame that was running)")
for frame, ms in own.most_common(args.top):
    print(f"{100 * ms / running:6.2f}%  {short(names[frame])}")
print("\ninclusive (on the stack), from CompassCi, Orleans, MySqlConnector and ASP.NET Core")
shown = 0
for frame, ms in inclusive.most_common():
    name = names[frame]
    if any(part in name for part in ("CompassCi", "Orleans", "MySqlConnector", "AspNetCore", "System.Text.Json")):
        print(f"{100 * ms / running:6.2f}%  {short(name)}")
        shown += 1
        if shown >= args.top * 2:
            break
