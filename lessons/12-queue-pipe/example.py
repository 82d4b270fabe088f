# A Queue and a Pipe carry Python objects between processes. Whatever
# the start method (fork included), every item is pickled on the way in
# and unpickled on the way out.
import multiprocessing


def worker(queue, conn):
    item = queue.get()  # unpickled here
    conn.send(f'the child got {item}')  # pickled here
    conn.close()


if __name__ == '__main__':
    queue = multiprocessing.Queue()
    parent_end, child_end = multiprocessing.Pipe()
    child = multiprocessing.Process(target=worker, args=(queue, child_end))
    child.start()
    queue.put({'task': 1, 'numbers': [1, 2, 3]})  # pickled by a helper thread
    print(parent_end.recv())  # unpickled here
    child.join()
