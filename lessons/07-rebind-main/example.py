# A pickled function is only a name: '__main__ f'. What if the parent
# binds that name to another function before the child starts?
import multiprocessing


def f():
    print('original f: defined at the top of the file')


if __name__ == '__main__':
    # This def rebinds the global name f in __main__ (an `if` block is not
    # a new scope). The new function is also called f, so its pickle
    # still says '__main__ f'.
    def f():
        print('new f: defined under the __main__ guard')

    child = multiprocessing.Process(target=f)
    child.start()
    child.join()
    # fork: the child is a copy of the parent, so it runs the new f.
    # spawn: the child re-imports this file as __mp_main__; the guard is
    # False there, so '__main__ f' is the original f, and that is what runs.
