# A Manager is a server process that holds real objects (here a dict).
# Other processes get proxies: small objects that send each operation to
# the manager, pickled, and get the answer back, pickled.
import multiprocessing


def add(shared, key):
    shared[key] = key * 10  # a message to the manager, not a local change


if __name__ == '__main__':
    with multiprocessing.Manager() as manager:
        shared = manager.dict()  # the dict lives in the manager process
        children = [multiprocessing.Process(target=add, args=(shared, k)) for k in (1, 2)]
        for child in children:
            child.start()
        for child in children:
            child.join()
        print(f'the manager holds {dict(shared)}')
