"""Print the descriptors the main process and a spawned child can see."""
import multiprocessing
import os


def show(who):
    print(who, sorted(int(fd) for fd in os.listdir("/proc/self/fd")), flush=True)


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")
    show("main")
    p = multiprocessing.Process(target=show, args=("child",))
    p.start()
    p.join()
