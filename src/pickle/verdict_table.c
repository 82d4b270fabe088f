/*
 * verdict_table.c - the callables `mpscope dis --verdict` knows, one row
 * each: a dotted name or pattern, what calling it means (imports: known
 * harmless; dangerous: runs commands or code, loads code, touches files or
 * the network, or changes what the whole program shares), how the analysis
 * follows it, and the reason shown to the user. docs/verdict.md explains
 * the choices; tests/unit/test_pickle_verdict.c checks every row.
 *
 * A name no row matches is judged by its module: the program's own or a
 * third-party module's code is `calls` (mpscope cannot know what it does),
 * and so is a standard-library callable the table does not list.
 */
#include <string.h>

#include "pickle/verdict.h"

#define OK PK_VERDICT_IMPORTS
#define BAD PK_VERDICT_DANGEROUS

/* clang-format off */
const struct pk_verdict_row pk_verdict_rows[] = {
	/* ---- built-in values and the machinery ordinary pickles use ---- */
	{ "builtins.set", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.frozenset", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.bytearray", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.bytes", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.complex", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.slice", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.range", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.int", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.float", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.str", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.bool", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.list", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.tuple", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.dict", OK, PK_ROW_PLAIN, "a built-in value type" },
	{ "builtins.object", OK, PK_ROW_PLAIN, "the base of all classes: makes an empty object" },
	{ "builtins.type", OK, PK_ROW_PLAIN, "type(x) names x's class (how type(None) pickles)" },
	{ "builtins.getattr", OK, PK_ROW_GETATTR, "looks up an attribute; mpscope follows what it returns" },
	{ "builtins.__import__", OK, PK_ROW_IMPORT, "imports a module named by a constant, as a GLOBAL would" },
	{ "**.*Error", OK, PK_ROW_PLAIN, "a standard-library exception class: builds the exception, raises nothing" },
	{ "**.*Exception", OK, PK_ROW_PLAIN, "a standard-library exception class: builds the exception, raises nothing" },
	{ "**.*Warning", OK, PK_ROW_PLAIN, "a standard-library exception class: builds the exception, raises nothing" },
	{ "builtins.*Exit", OK, PK_ROW_PLAIN, "an exception class: builds the exception, raises nothing" },
	{ "builtins.*Interrupt", OK, PK_ROW_PLAIN, "an exception class: builds the exception, raises nothing" },
	{ "builtins.*Iteration", OK, PK_ROW_PLAIN, "an exception class: builds the exception, raises nothing" },
	{ "builtins.map", OK, PK_ROW_CALLS_ARGS, "calls the function it is given on each item" },
	{ "builtins.filter", OK, PK_ROW_CALLS_ARGS, "calls the function it is given on each item" },
	{ "copyreg._reconstructor", OK, PK_ROW_RECONSTRUCTOR, "protocols 0-1 rebuild objects with it: object.__new__(cls), runs none of cls's code" },
	{ "copyreg.__newobj__", OK, PK_ROW_FORWARD, "cls.__new__(cls, *args), as NEWOBJ does: judged by cls" },
	{ "copyreg.__newobj_ex__", OK, PK_ROW_FORWARD, "cls.__new__(cls, *args, **kwargs), as NEWOBJ_EX does: judged by cls" },
	{ "functools.partial", OK, PK_ROW_PARTIAL, "wraps a function without calling it; a later call is judged by that function" },
	{ "functools.reduce", OK, PK_ROW_CALLS_ARGS, "calls the function it is given" },
	{ "_codecs.encode", OK, PK_ROW_PLAIN, "encodes text: how protocols 0-2 write bytes" },
	{ "codecs.encode", OK, PK_ROW_PLAIN, "encodes text: a pure function" },
	{ "operator.attrgetter", OK, PK_ROW_ATTRGETTER, "makes an attribute getter; mpscope follows what it gets" },
	{ "operator.itemgetter", OK, PK_ROW_PLAIN, "makes an item getter" },
	{ "operator.methodcaller", OK, PK_ROW_METHODCALLER, "makes a method caller; a later call is judged by the method" },
	{ "operator.call", OK, PK_ROW_FORWARD, "calls its first argument: judged by that" },
	{ "operator.setitem", OK, PK_ROW_MUTATES, "changes its first argument" },
	{ "operator.delitem", OK, PK_ROW_MUTATES, "changes its first argument" },
	{ "operator.__setitem__", OK, PK_ROW_MUTATES, "changes its first argument" },
	{ "operator.__delitem__", OK, PK_ROW_MUTATES, "changes its first argument" },
	{ "operator.i*", OK, PK_ROW_MUTATES, "an in-place operator: changes its first argument" },
	{ "operator.__i*__", OK, PK_ROW_MUTATES, "an in-place operator: changes its first argument" },
	{ "operator.index", OK, PK_ROW_PLAIN, "a pure operator on values" },
	{ "operator.inv", OK, PK_ROW_PLAIN, "a pure operator on values" },
	{ "operator.invert", OK, PK_ROW_PLAIN, "a pure operator on values" },
	{ "operator.is_", OK, PK_ROW_PLAIN, "a pure operator on values" },
	{ "operator.is_not", OK, PK_ROW_PLAIN, "a pure operator on values" },
	{ "operator.*", OK, PK_ROW_PLAIN, "a pure operator on values" },

	/* ---- standard-library value types ---- */
	{ "collections.OrderedDict", OK, PK_ROW_PLAIN, "a container type" },
	{ "collections.deque", OK, PK_ROW_PLAIN, "a container type" },
	{ "collections.defaultdict", OK, PK_ROW_PLAIN, "a container type; stores its factory, calls it only on a missing key" },
	{ "collections.Counter", OK, PK_ROW_PLAIN, "a container type" },
	{ "collections.ChainMap", OK, PK_ROW_PLAIN, "a container type" },
	{ "collections.User*", OK, PK_ROW_PLAIN, "a container type" },
	{ "datetime.*", OK, PK_ROW_PLAIN, "a date and time value type" },
	{ "decimal.Decimal", OK, PK_ROW_PLAIN, "a number type" },
	{ "decimal.Context", OK, PK_ROW_PLAIN, "arithmetic settings, a value" },
	{ "fractions.Fraction", OK, PK_ROW_PLAIN, "a number type" },
	{ "math.*", OK, PK_ROW_PLAIN, "pure arithmetic" },
	{ "cmath.*", OK, PK_ROW_PLAIN, "pure arithmetic" },
	{ "uuid.UUID", OK, PK_ROW_PLAIN, "a value type" },
	{ "uuid.SafeUUID", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "ipaddress.*", OK, PK_ROW_PLAIN, "address value types, pure functions" },
	{ "pathlib.Pure*Path", OK, PK_ROW_PLAIN, "a path value: touches no file" },
	{ "pathlib.*Path", OK, PK_ROW_PLAIN, "a path object: constructing it touches no file" },
	{ "re._compile", OK, PK_ROW_PLAIN, "compiles a regular expression (how re.Pattern pickles)" },
	{ "array.array", OK, PK_ROW_PLAIN, "a value type" },
	{ "array._array_reconstructor", OK, PK_ROW_PLAIN, "rebuilds an array from its bytes" },
	{ "types.SimpleNamespace", OK, PK_ROW_PLAIN, "a plain attribute container" },
	{ "logging.getLogger", OK, PK_ROW_PLAIN, "returns the named logger (how loggers pickle)" },
	{ "queue.*", OK, PK_ROW_PLAIN, "an in-process queue type or its exceptions" },
	{ "_thread.allocate_lock", OK, PK_ROW_PLAIN, "a new lock" },
	{ "_thread.RLock", OK, PK_ROW_PLAIN, "a new lock" },
	{ "threading.Lock", OK, PK_ROW_PLAIN, "a new lock" },
	{ "threading.RLock", OK, PK_ROW_PLAIN, "a new lock" },
	{ "threading.Condition", OK, PK_ROW_PLAIN, "a synchronization object" },
	{ "threading.Semaphore", OK, PK_ROW_PLAIN, "a synchronization object" },
	{ "threading.BoundedSemaphore", OK, PK_ROW_PLAIN, "a synchronization object" },
	{ "threading.Event", OK, PK_ROW_PLAIN, "a synchronization object" },
	{ "threading.Barrier", OK, PK_ROW_PLAIN, "a synchronization object" },
	{ "signal.Signals", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "signal.Handlers", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "signal.Sigmasks", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "socket.AddressFamily", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "socket.gaierror", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "socket.herror", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "socket.timeout", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "http.client.IncompleteRead", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "http.client.RemoteDisconnected", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "zipfile.BadZipFile", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "socket.SocketKind", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "http.HTTPStatus", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "re.RegexFlag", OK, PK_ROW_PLAIN, "an enum of values" },
	{ "os.stat_result", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "os.statvfs_result", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "os.terminal_size", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "os.times_result", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "os.uname_result", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "posix.stat_result", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "os.path.*", OK, PK_ROW_PLAIN, "path arithmetic and status queries: changes nothing" },
	{ "posixpath.*", OK, PK_ROW_PLAIN, "path arithmetic and status queries: changes nothing" },
	{ "ntpath.*", OK, PK_ROW_PLAIN, "path arithmetic and status queries: changes nothing" },
	{ "genericpath.*", OK, PK_ROW_PLAIN, "path arithmetic and status queries: changes nothing" },
	{ "subprocess.CompletedProcess", OK, PK_ROW_PLAIN, "a result record, a value" },
	{ "subprocess.TimeoutExpired", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },

	/* ---- multiprocessing's own payloads ---- */
	{ "multiprocessing.context.*Process", OK, PK_ROW_PLAIN, "a process object as its parent built it: loading sets attributes, starts nothing" },
	{ "multiprocessing.process.AuthenticationString", OK, PK_ROW_PLAIN, "the authkey, a bytes subclass" },
	{ "multiprocessing.connection.rebuild_connection", OK, PK_ROW_PLAIN, "rebuilds a Connection from a file descriptor multiprocessing hands over" },
	{ "multiprocessing.popen_*._DupFd", OK, PK_ROW_PLAIN, "a file descriptor number passed at process start" },
	{ "multiprocessing.resource_sharer.DupFd", OK, PK_ROW_PLAIN, "names a descriptor held by the sender's resource sharer" },
	{ "multiprocessing.reduction._rebuild_socket", OK, PK_ROW_PLAIN, "rebuilds a socket from a descriptor multiprocessing hands over" },
	{ "multiprocessing.reduction.rebuild_pipe_connection", OK, PK_ROW_PLAIN, "rebuilds a pipe Connection (Windows)" },
	{ "multiprocessing.pool.mapstar", OK, PK_ROW_CALLS_ARGS, "a Pool task's helper: calls the function in its argument" },
	{ "multiprocessing.pool.starmapstar", OK, PK_ROW_CALLS_ARGS, "a Pool task's helper: calls the function in its argument" },
	{ "multiprocessing.pool.ExceptionWithTraceback", OK, PK_ROW_PLAIN, "carries a worker's exception back" },
	{ "multiprocessing.pool.RemoteTraceback", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "multiprocessing.pool.rebuild_exc", OK, PK_ROW_PLAIN, "rebuilds a worker's exception" },
	{ "multiprocessing.pool.MaybeEncodingError", OK, PK_ROW_PLAIN, "an exception class: raises nothing" },
	{ "multiprocessing.queues.*Queue", OK, PK_ROW_PLAIN, "rebuilds a queue around the pipe and locks passed with it" },
	{ "multiprocessing.synchronize.*", OK, PK_ROW_PLAIN, "reopens a semaphore its sender created" },
	{ "multiprocessing.managers.Token", OK, PK_ROW_PLAIN, "a manager object's address and id, a value" },
	{ "multiprocessing.managers.RebuildProxy", OK, PK_ROW_FORWARD, "calls the proxy type in its first argument: judged by that" },
	{ "multiprocessing.managers.AutoProxy", OK, PK_ROW_PLAIN, "a proxy: connects to the manager named in its token" },
	{ "multiprocessing.managers.*Proxy", OK, PK_ROW_PLAIN, "a proxy: connects to the manager named in its token" },
	{ "multiprocessing.managers.Namespace", OK, PK_ROW_PLAIN, "a plain attribute container" },
	{ "multiprocessing.managers.Value", OK, PK_ROW_PLAIN, "a value holder" },
	{ "multiprocessing.managers.Array", OK, PK_ROW_PLAIN, "builds an array" },
	{ "multiprocessing.managers.*Manager", OK, PK_ROW_PLAIN, "a manager object: constructing it starts nothing" },
	{ "multiprocessing.sharedctypes.rebuild_ctype", OK, PK_ROW_PLAIN, "rebuilds a shared ctypes value on memory passed with it" },
	{ "multiprocessing.heap.rebuild_arena", OK, PK_ROW_PLAIN, "maps the shared memory passed with it" },
	{ "multiprocessing.shared_memory.SharedMemory", OK, PK_ROW_PLAIN, "attaches to the shared memory block its sender named" },
	{ "multiprocessing.shared_memory.ShareableList", OK, PK_ROW_PLAIN, "attaches to the shared memory block its sender named" },
	{ "multiprocessing.**.start", BAD, PK_ROW_PLAIN, "starts a process, which runs its target" },
	{ "multiprocessing.**.run", BAD, PK_ROW_PLAIN, "runs a process's target here" },
	{ "multiprocessing.spawn.**", BAD, PK_ROW_PLAIN, "spawn's start-up: runs the main module and loads another pickle" },
	{ "multiprocessing.forkserver.**", BAD, PK_ROW_PLAIN, "the fork server: starts processes" },
	{ "multiprocessing.popen_*.Popen", BAD, PK_ROW_PLAIN, "starts a process" },
	{ "multiprocessing.util.spawnv_passfds", BAD, PK_ROW_PLAIN, "starts a program" },
	{ "multiprocessing.util._run_finalizers", BAD, PK_ROW_PLAIN, "runs registered callbacks" },
	{ "multiprocessing.pool.Pool", BAD, PK_ROW_PLAIN, "starts worker processes" },
	{ "multiprocessing.resource_tracker.**", BAD, PK_ROW_PLAIN, "starts or talks to the resource tracker process" },

	/* ---- running commands and programs ---- */
	{ "os.system", BAD, PK_ROW_PLAIN, "runs a shell command" },
	{ "os.popen", BAD, PK_ROW_PLAIN, "runs a shell command" },
	{ "os.exec*", BAD, PK_ROW_PLAIN, "replaces the process with another program" },
	{ "os.spawn*", BAD, PK_ROW_PLAIN, "starts a program" },
	{ "os.posix_spawn*", BAD, PK_ROW_PLAIN, "starts a program" },
	{ "os.fork*", BAD, PK_ROW_PLAIN, "forks the process" },
	{ "os.kill*", BAD, PK_ROW_PLAIN, "sends a signal to a process" },
	{ "os.remove", BAD, PK_ROW_PLAIN, "deletes a file" },
	{ "os.unlink", BAD, PK_ROW_PLAIN, "deletes a file" },
	{ "os.rmdir", BAD, PK_ROW_PLAIN, "deletes a directory" },
	{ "os.removedirs", BAD, PK_ROW_PLAIN, "deletes directories" },
	{ "os.**", BAD, PK_ROW_PLAIN, "the operating-system interface: files, processes, environment" },
	{ "posix.system", BAD, PK_ROW_PLAIN, "runs a shell command (os.system pickles as posix.system on Linux)" },
	{ "posix.popen", BAD, PK_ROW_PLAIN, "runs a shell command" },
	{ "posix.exec*", BAD, PK_ROW_PLAIN, "replaces the process with another program" },
	{ "posix.posix_spawn*", BAD, PK_ROW_PLAIN, "starts a program" },
	{ "posix.**", BAD, PK_ROW_PLAIN, "the operating-system interface: files, processes, environment" },
	{ "nt.system", BAD, PK_ROW_PLAIN, "runs a shell command (os.system pickles as nt.system on Windows)" },
	{ "nt.**", BAD, PK_ROW_PLAIN, "the operating-system interface: files, processes, environment" },
	{ "subprocess.**", BAD, PK_ROW_PLAIN, "runs programs" },
	{ "_posixsubprocess.**", BAD, PK_ROW_PLAIN, "runs programs" },
	{ "_winapi.**", BAD, PK_ROW_PLAIN, "the Windows process and file interface" },
	{ "pty.**", BAD, PK_ROW_PLAIN, "runs programs on a pseudo-terminal" },
	{ "pipes.**", BAD, PK_ROW_PLAIN, "runs shell pipelines" },
	{ "platform.**", BAD, PK_ROW_PLAIN, "some of its queries run programs (platform.architecture runs `file`)" },
	{ "uuid.**", BAD, PK_ROW_PLAIN, "its node lookups run programs (ifconfig, ip, arp)" },
	{ "webbrowser.**", BAD, PK_ROW_PLAIN, "starts a browser program" },
	{ "pydoc.**", BAD, PK_ROW_PLAIN, "runs a pager program" },
	{ "builtins.help", BAD, PK_ROW_PLAIN, "runs a pager program" },
	{ "distutils.**", BAD, PK_ROW_PLAIN, "builds and installs packages, running programs" },
	{ "ensurepip.**", BAD, PK_ROW_PLAIN, "installs packages" },
	{ "venv.**", BAD, PK_ROW_PLAIN, "creates environments and runs programs" },
	{ "idlelib.**", BAD, PK_ROW_PLAIN, "the IDLE editor: runs code and programs" },
	{ "tkinter.**", BAD, PK_ROW_PLAIN, "opens windows on the display" },
	{ "getpass.**", BAD, PK_ROW_PLAIN, "reads the terminal" },

	/* ---- running or loading code ---- */
	{ "builtins.eval", BAD, PK_ROW_PLAIN, "runs Python code from a string" },
	{ "builtins.exec", BAD, PK_ROW_PLAIN, "runs Python code from a string" },
	{ "builtins.compile", BAD, PK_ROW_PLAIN, "makes runnable code from a string" },
	{ "builtins.breakpoint", BAD, PK_ROW_PLAIN, "starts the debugger, which runs what it is told" },
	{ "builtins.setattr", OK, PK_ROW_MUTATES, "sets an attribute of its first argument" },
	{ "builtins.delattr", OK, PK_ROW_MUTATES, "deletes an attribute of its first argument" },
	{ "builtins.vars", BAD, PK_ROW_PLAIN, "hands out a module's or object's namespace to rewrite" },
	{ "builtins.globals", BAD, PK_ROW_PLAIN, "hands out the namespace of pickle's own code to rewrite" },
	{ "builtins.locals", BAD, PK_ROW_PLAIN, "hands out the namespace of pickle's own code to rewrite" },
	{ "importlib.import_module", OK, PK_ROW_IMPORT_MODULE, "imports a module named by a constant, as a GLOBAL would" },
	{ "importlib.__import__", OK, PK_ROW_IMPORT, "imports a module named by a constant, as a GLOBAL would" },
	{ "importlib.**", BAD, PK_ROW_PLAIN, "loads code from files or by computed names" },
	{ "imp.**", BAD, PK_ROW_PLAIN, "loads code from files" },
	{ "zipimport.**", BAD, PK_ROW_PLAIN, "loads code from zip files" },
	{ "pkgutil.**", BAD, PK_ROW_PLAIN, "imports modules by computed names" },
	{ "runpy.**", BAD, PK_ROW_PLAIN, "runs a module or a script" },
	{ "site.**", BAD, PK_ROW_PLAIN, "processes .pth files, which run code" },
	{ "pickle.**", BAD, PK_ROW_PLAIN, "loads another pickle, which calls what it likes" },
	{ "_pickle.**", BAD, PK_ROW_PLAIN, "loads another pickle, which calls what it likes" },
	{ "marshal.**", BAD, PK_ROW_PLAIN, "loads code objects" },
	{ "types.CodeType", BAD, PK_ROW_PLAIN, "builds runnable code" },
	{ "types.FunctionType", BAD, PK_ROW_PLAIN, "builds a function from code" },
	{ "types.LambdaType", BAD, PK_ROW_PLAIN, "builds a function from code" },
	{ "code.**", BAD, PK_ROW_PLAIN, "runs Python code from strings" },
	{ "codeop.**", BAD, PK_ROW_PLAIN, "compiles code from strings" },
	{ "timeit.**", BAD, PK_ROW_PLAIN, "runs Python code from strings" },
	{ "pdb.**", BAD, PK_ROW_PLAIN, "the debugger: runs code" },
	{ "bdb.**", BAD, PK_ROW_PLAIN, "the debugger: runs code" },
	{ "profile.**", BAD, PK_ROW_PLAIN, "runs Python code from strings" },
	{ "cProfile.**", BAD, PK_ROW_PLAIN, "runs Python code from strings" },
	{ "trace.**", BAD, PK_ROW_PLAIN, "runs Python code" },
	{ "doctest.**", BAD, PK_ROW_PLAIN, "runs code from docstrings" },
	{ "ctypes.**", BAD, PK_ROW_PLAIN, "calls C functions and loads libraries" },
	{ "_ctypes.**", BAD, PK_ROW_PLAIN, "calls C functions and loads libraries" },
	{ "sys.**", BAD, PK_ROW_PLAIN, "changes the interpreter: exit, hooks, paths, the module cache" },
	{ "builtins.exit", BAD, PK_ROW_PLAIN, "ends the program (SystemExit escapes `except Exception`)" },
	{ "builtins.quit", BAD, PK_ROW_PLAIN, "ends the program (SystemExit escapes `except Exception`)" },
	{ "builtins.input", BAD, PK_ROW_PLAIN, "reads the terminal, showing a prompt the pickle chose" },
	{ "signal.**", BAD, PK_ROW_PLAIN, "installs signal handlers or sends signals" },
	{ "atexit.register", OK, PK_ROW_FORWARD, "calls its first argument at exit: judged by that" },
	{ "_thread.start_new_thread", OK, PK_ROW_FORWARD, "calls its first argument in a new thread: judged by that" },
	{ "_thread.start_new", OK, PK_ROW_FORWARD, "calls its first argument in a new thread: judged by that" },
	{ "threading.**.start", BAD, PK_ROW_PLAIN, "starts a thread, which runs its target" },
	{ "threading.**.run", BAD, PK_ROW_PLAIN, "runs a thread's target here" },
	{ "logging.config.**", BAD, PK_ROW_PLAIN, "reads configuration files and can listen on a socket" },

	/* ---- files ---- */
	{ "builtins.open", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "io.open", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "io.open_code", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "io.FileIO", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "_io.**", BAD, PK_ROW_PLAIN, "opens files" },
	{ "codecs.open", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "shutil.**", BAD, PK_ROW_PLAIN, "copies, moves or deletes files" },
	{ "tempfile.**", BAD, PK_ROW_PLAIN, "creates files" },
	{ "fileinput.**", BAD, PK_ROW_PLAIN, "reads files" },
	{ "linecache.**", BAD, PK_ROW_PLAIN, "reads files" },
	{ "glob.**", BAD, PK_ROW_PLAIN, "lists directories" },
	{ "zipfile.**", BAD, PK_ROW_PLAIN, "reads and writes archive files" },
	{ "tarfile.**", BAD, PK_ROW_PLAIN, "reads and writes archive files" },
	{ "gzip.open", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "gzip.GzipFile", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "bz2.open", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "bz2.BZ2File", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "lzma.open", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "lzma.LZMAFile", BAD, PK_ROW_PLAIN, "opens a file" },
	{ "dbm.**", BAD, PK_ROW_PLAIN, "opens database files" },
	{ "shelve.**", BAD, PK_ROW_PLAIN, "opens database files, then loads pickles from them" },
	{ "sqlite3.**", BAD, PK_ROW_PLAIN, "opens database files" },
	{ "_sqlite3.**", BAD, PK_ROW_PLAIN, "opens database files" },
	{ "mmap.**", BAD, PK_ROW_PLAIN, "maps files into memory" },
	{ "fcntl.**", BAD, PK_ROW_PLAIN, "controls open files" },
	{ "pathlib.*.*", BAD, PK_ROW_PLAIN, "a path object's method: most of them read or change files" },

	/* ---- the network ---- */
	{ "socket.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "_socket.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "ssl.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "socketserver.**", BAD, PK_ROW_PLAIN, "listens on the network" },
	{ "asyncio.**", BAD, PK_ROW_PLAIN, "runs event loops, subprocesses and connections" },
	{ "http.client.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "http.server.**", BAD, PK_ROW_PLAIN, "listens on the network and runs CGI programs" },
	{ "urllib.request.**", BAD, PK_ROW_PLAIN, "fetches URLs, files included" },
	{ "ftplib.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "smtplib.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "poplib.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "imaplib.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "nntplib.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "telnetlib.**", BAD, PK_ROW_PLAIN, "opens network connections" },
	{ "xmlrpc.**", BAD, PK_ROW_PLAIN, "makes remote calls over the network" },
	{ "multiprocessing.connection.Client", BAD, PK_ROW_PLAIN, "opens a connection to an address" },
	{ "multiprocessing.connection.Listener", BAD, PK_ROW_PLAIN, "listens on an address" },
};
/* clang-format on */

const size_t pk_verdict_row_count = sizeof(pk_verdict_rows) / sizeof(pk_verdict_rows[0]);

bool pk_glob_match(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (p[0] == '*' && p[1] == '*') {
			for (const char *t = s;; t++) {
				if (pk_glob_match(p + 2, t))
					return true;
				if (!*t)
					return false;
			}
		}
		if (*p == '*') {
			for (const char *t = s;; t++) {
				if (pk_glob_match(p + 1, t))
					return true;
				if (!*t || *t == '.')
					return false;
			}
		}
		if (*p != *s)
			return false;
	}
	return *s == '\0';
}

/* Literal characters: how specific a pattern is. */
static size_t weight(const char *pattern)
{
	size_t n = 0;

	for (; *pattern; pattern++)
		n += *pattern != '*';
	return n;
}

const struct pk_verdict_row *pk_verdict_row_find(const char *name)
{
	const struct pk_verdict_row *best = NULL, *suffix = NULL;
	size_t best_weight = 0;

	for (size_t i = 0; i < pk_verdict_row_count; i++) {
		const struct pk_verdict_row *r = &pk_verdict_rows[i];
		bool is_exact = !strchr(r->pattern, '*');
		size_t w;

		if (is_exact ? strcmp(r->pattern, name) != 0 : !pk_glob_match(r->pattern, name))
			continue;
		if (is_exact)
			return r;
		/* "**.*Error": the standard library's naming of its exception
		 * classes, trusted for its modules only (a program's own
		 * exception may run its own __init__). */
		if (strncmp(r->pattern, "**.", 3) == 0) {
			if (!suffix && pk_is_stdlib(name))
				suffix = r;
			continue;
		}
		w = weight(r->pattern);
		if (!best || w > best_weight) {
			best = r;
			best_weight = w;
		}
	}
	return suffix ? suffix : best;
}
