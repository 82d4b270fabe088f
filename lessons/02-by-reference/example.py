# How is a function pickled? By its name, not by its code.
# First we pickle f ourselves with protocol 0 (plain text, easy to read),
# then we let multiprocessing pickle it to start a spawn child.
import multiprocessing
import pickle
import pickletools


def f(name):
    print(f'hello {name}, from the child')


if __name__ == '__main__':
    # Protocol 0: the whole pickle of f is one GLOBAL opcode naming
    # the module and the function: '__main__ f'. No code at all.
    pickletools.dis(pickle.dumps(f, protocol=0))
    # multiprocessing uses a newer protocol (STACK_GLOBAL: the same two
    # names, pushed as strings). The child looks f up by that name.
    multiprocessing.set_start_method('spawn')
    child = multiprocessing.Process(target=f, args=('world',))
    child.start()
    child.join()
