# The classic question: f calls randomfunction(), defined in helper.py next
# to this file. Is it pickled? Can the child call it? Under spawn and
# forkserver the child imports helper itself (by re-importing this script);
# under fork it inherits it. Start method: mpscope's -m, or argv[1].
import multiprocessing as mp
import sys

from helper import randomfunction


def f(seed):
    print('child', seed, 'rolled', randomfunction(seed))


if __name__ == '__main__':
    if len(sys.argv) > 1:
        mp.set_start_method(sys.argv[1])
    for seed in range(2):
        p = mp.Process(target=f, args=(seed,))
        p.start()
        p.join()
