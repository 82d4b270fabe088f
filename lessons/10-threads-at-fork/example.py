# What happens if the parent has a thread running when it forks?
# fork copies only the thread that calls it; a lock held by another
# thread stays locked forever in the child. Python 3.12 and later warn
# about it with a DeprecationWarning, which is hidden by default.
import multiprocessing
import threading
import warnings

# Show DeprecationWarnings, which Python hides unless asked.
warnings.simplefilter('always', DeprecationWarning)


def f():
    print('the child runs f, with only one thread')


if __name__ == '__main__':
    multiprocessing.set_start_method('fork')
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)  # a thread that just waits
    helper.start()
    child = multiprocessing.Process(target=f)
    child.start()  # the parent forks while the helper thread is alive
    child.join()
    stop.set()
    helper.join()
