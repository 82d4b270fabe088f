"""The program chooses its own start method, as many real programs do."""
import multiprocessing
import sys


def f():
    print("child ran", flush=True)


if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    p = multiprocessing.Process(target=f)
    p.start()
    p.join()
    print("method", multiprocessing.get_start_method())
