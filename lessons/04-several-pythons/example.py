# One program, several Pythons: the same spawn start recorded under two
# CPython versions. The payload and what the child imports differ by version.
import multiprocessing


def f(I):
    print('hello world!', I)


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    workers = [multiprocessing.Process(target=f, args=(I,)) for I in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
