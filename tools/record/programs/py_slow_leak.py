"""Leak by construction: an audit list at module level that only grows, a few percent of the
process's level over the recording (default 1500 bytes/s on a ~60 MB baseline), beside request
garbage that is freed."""
import random
import sys
import time

AUDIT = []  # never trimmed: the leak


def main():
    rate = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    baseline = [{"id": i, "name": "user%06d" % i, "tags": ["a", "b", str(i)]} for i in range(200000)]
    rnd = random.Random(18)
    tick = 0.5
    while True:
        garbage = [("request", rnd.random(), "x" * rnd.randint(10, 400)) for _ in range(300)]
        del garbage
        # One record is a 3-tuple and a float, ~90 bytes (the string is a shared constant).
        for _ in range(max(1, int(rate * tick / 90))):
            AUDIT.append(("event", time.time(), "e" * 100))
        time.sleep(tick)
        if not baseline:
            break


main()
