"""Not a leak: functools.lru_cache bounded at 30 000 results of ~2 KB, filled from random keys
(a saturating warm-up of ten-odd minutes), then flat as it evicts."""
import functools
import random
import time


@functools.lru_cache(maxsize=30000)
def render(key):
    return ("%08d" % key) * 256


def main():
    rnd = random.Random(19)
    while True:
        for _ in range(40):
            render(rnd.randrange(40000))
        time.sleep(0.5)


main()
