"""Send a Connection to a running child through a Queue (resource_sharer)."""
import multiprocessing


def child(queue):
    conn = queue.get()
    conn.send("hello through a passed connection")
    conn.close()


if __name__ == "__main__":
    queue = multiprocessing.Queue()
    reader, writer = multiprocessing.Pipe(duplex=False)
    p = multiprocessing.Process(target=child, args=(queue,))
    p.start()
    queue.put(writer)
    print(reader.recv())
    p.join()
    print("exit code", p.exitcode)
