"""Time whole commands interleaved: one run of each per round, ROUNDS rounds.

    python3 bench/interleave.py ROUNDS BASELINE COMMAND...

On a shared 2-core machine a Pool's untraced run time alone varies by a
factor of two from run to run; hyperfine runs all of one command, then all
of the next, so a change of load lands on one side. Here every round runs
each command once, in an order shuffled per round (so no command always
follows the same one), and the report gives for each command its median and
minimum wall time, the ratio of its median to the baseline's, and the median
of the per-round ratios with their middle half (the figures least moved by
load). Commands run through the shell, output discarded; a failing one stops
it.
"""
import random
import statistics
import subprocess
import sys
import time


def _quartiles(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 4], ordered[(3 * len(ordered)) // 4]


def main(rounds, commands):
    times = [[] for _ in commands]
    order = list(range(len(commands)))
    for _ in range(rounds):
        random.shuffle(order)
        for index in order:
            started = time.perf_counter()
            subprocess.run(commands[index], shell=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            times[index].append(time.perf_counter() - started)
    base = times[0]
    for command, taken in zip(commands, times):
        ratios = [mine / theirs for mine, theirs in zip(taken, base)]
        low, high = _quartiles(ratios)
        print("%s\n    median %.3f s  min %.3f s  ratio of medians %.2f  median ratio %.2f"
              " (middle half %.2f-%.2f)"
              % (command, statistics.median(taken), min(taken),
                 statistics.median(taken) / statistics.median(base), statistics.median(ratios),
                 low, high))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: python3 bench/interleave.py ROUNDS BASELINE COMMAND...")
    main(int(sys.argv[1]), sys.argv[2:])
