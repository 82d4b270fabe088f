# One program, several Pythons: the same spawn start recorded under two
# CPython versions. What is pickled is the same; how the child process is
# created before it runs a fresh Python differs.
import multiprocessing


def f(task):
    print(f'hello world! task {task}')


if __name__ == '__main__':
    multiprocessing.set_start_method('spawn')
    workers = [multiprocessing.Process(target=f, args=(task,)) for task in range(2)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
