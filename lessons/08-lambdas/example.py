# Can a lambda or a function defined inside another function be the
# target of a Process? Under fork, yes. Under spawn and forkserver the
# target must be pickled, and pickle can only name functions that the
# child can find by module and name.
import multiprocessing


def start(target):
    child = multiprocessing.Process(target=target)
    try:
        child.start()
    except Exception as e:
        # Pickling failed in the parent: no child was started.
        print(f'cannot start it: {type(e).__name__}: {e}')
    else:
        child.join()


def make_local():
    def local():
        print('the local function runs in the child')
    return local


if __name__ == '__main__':
    start(lambda: print('the lambda runs in the child'))
    start(make_local())
