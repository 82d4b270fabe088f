"""The classic example: a function started in a child process."""
import multiprocessing


def f(name):
    print("hello", name, flush=True)


if __name__ == "__main__":
    p = multiprocessing.Process(target=f, args=("world",))
    p.start()
    p.join()
    print("exit code", p.exitcode)
