# A pickle is a small program: unpickling runs it, and it may import any
# name and call it. Here the parent sends two items through a Queue: an
# ordinary dict, and an object whose __reduce__ says "to rebuild me, call
# os.system('echo pwned by a pickle')". The child only calls queue.get();
# unpickling the second item runs the shell command, in the child.
import multiprocessing
import os


class Innocent:
    def __reduce__(self):
        # Runs here, in the sender, when pickling. The pickle keeps only
        # the answer: the function os.system, by name, and its argument.
        # No class Innocent is in it, so the child needs no such class.
        return (os.system, ('echo pwned by a pickle',))


def worker(queue):
    for _ in range(2):
        item = queue.get()  # unpickled here: the second one runs a command
        print(f'the child got {item!r}', flush=True)


if __name__ == '__main__':
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=worker, args=(queue,))
    child.start()
    queue.put({'task': 1, 'numbers': [1, 2, 3]})  # data: builds a dict
    queue.put(Innocent())  # a program: calls os.system when loaded
    child.join()
