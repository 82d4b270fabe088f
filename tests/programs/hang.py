# A program that never ends on its own, with a child that never ends either.
import multiprocessing as mp
import time


def forever():
    while True:
        time.sleep(1)


if __name__ == '__main__':
    mp.Process(target=forever).start()
    forever()
