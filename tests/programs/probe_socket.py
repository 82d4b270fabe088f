# Pokes at mpscope's probe socket the way a hostile program could: reports
# the socket folder's mode and path; sends one message in its own name
# (accepted); then a forked child, itself traced, sends one claiming to be
# its parent (must be refused: the sender is not who it says).
import json
import os
import socket
import stat
import time

path = os.environ.get('MPSCOPE_SOCK', '')
folder = os.path.dirname(path)
print('folder', folder, oct(stat.S_IMODE(os.stat(folder).st_mode)), flush=True)


def send(pid, module):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    s.send(json.dumps({'kind': 'pickle.find_class', 't': time.monotonic_ns(), 'pid': pid,
                       'module': module, 'name': 'x'}).encode())
    s.close()


send(os.getpid(), 'genuine')
child = os.fork()
if child == 0:
    send(os.getppid(), 'forged')
    os._exit(0)
os.waitpid(child, 0)
