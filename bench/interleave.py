"""Time whole commands interleaved: one run of each per round, ROUNDS rounds.

    python3 bench/interleave.py ROUNDS BASELINE COMMAND...

On a shared 2-core machine a Pool's untraced run time alone varies by a
factor of two from run to run; hyperfine runs all of one command, then all
of the next, so a change of load lands on one side. Here every round runs
each command once, in order, and the report gives for each command its
median and minimum wall time, the ratio of its median to the baseline's,
and the median of the per-round ratios (the figure least moved by load).
Commands run through the shell, output discarded; a failing one stops it.
"""
import statistics
import subprocess
import sys
import time


def main(rounds, commands):
    times = [[] for _ in commands]
    for _ in range(rounds):
        for index, command in enumerate(commands):
            started = time.perf_counter()
            subprocess.run(command, shell=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            times[index].append(time.perf_counter() - started)
    base = times[0]
    for command, taken in zip(commands, times):
        ratios = [mine / theirs for mine, theirs in zip(taken, base)]
        print("%s\n    median %.3f s  min %.3f s  ratio of medians %.2f  median ratio %.2f"
              % (command, statistics.median(taken), min(taken),
                 statistics.median(taken) / statistics.median(base), statistics.median(ratios)))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit("usage: python3 bench/interleave.py ROUNDS BASELINE COMMAND...")
    main(int(sys.argv[1]), sys.argv[2:])
