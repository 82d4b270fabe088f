/*
 * _fastpath: the probe's per-pickle work in C, for the pickles that are only
 * counted.
 *
 * A Pool sends a pickle per task and per result; once the first ones of each
 * kind have travelled in full (tally.py), the rest are only counted. In
 * Python that counting (a wrapper, the classification, the per-thread row,
 * the find_class audit hook and its notes) costs ~5 us a Pool task, as much
 * as the pickling itself; here the same steps cost a fraction of that.
 *
 * Only the common case is done here: a Pool task or result (recognised by
 * its shape, as classify.shape does) that is to be counted, and the audit
 * hook. Everything else (the probe busy, a pickle to keep, an object of
 * another shape, a failure) goes to the Python code this replaces, which
 * stays the reference: the trace is the same with or without this module,
 * and tests/probe runs its tests both ways.
 *
 * Built once against the stable ABI of CPython 3.8, so one file serves every
 * CPython 3.8-3.13 (its name ends in .abi3.so); a Python that cannot load it
 * (a free-threaded or debug build) runs the pure-Python probe.
 *
 * The counters are the tally file's (tally.py has the layout), mapped here;
 * each thread counts in a row of its own. Everything here runs with the GIL
 * held, which is what makes taking a row and counting "sent" safe.
 */
#define Py_LIMITED_API 0x03080000
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

enum { WHAT_POOL_TASK = 2, WHAT_POOL_RESULT = 3, WHAT_QUEUE_ITEM = 4, WHAT_OTHER = 5 };
enum { OP_DUMP = 0, OP_LOAD = 1 };
/* How the code of a frame counts in classify.by_caller, by its file. */
enum code_kind { CODE_OUTSIDE, CODE_INTERNAL, CODE_QUEUE, CODE_MULTIPROCESSING };
enum { CALLER_FRAMES = 8, CODE_KINDS_LIMIT = 4096 };
enum { MAX_SLOTS = 64, ROWS_IN_USE_WORD = 3 };

/*
 * The probe's state, one per process: the module is loaded once, by the
 * probe of the main interpreter, and the probe itself is process-wide (one
 * connection, one tally file). After a fork, forget() starts a new
 * generation, so no thread of the child counts in its parent's file.
 */
static struct {
	PyObject *guard_local; /* guard.local: .busy */
	PyObject *notes_local; /* notes._local: .current */
	PyObject *notes_class; /* notes.Notes */
	PyObject *report_alone; /* audit: a lookup outside any probed load */
	PyObject *open_tally; /* tally: makes the file and calls map_tally() */
	long long keep; /* tally.KEEP: -1 keeps every pickle */
	int slots;
	uint64_t sent[MAX_SLOTS]; /* pickles of each slot sent in full */
	uint64_t *words; /* the tally file, mapped; NULL when none (yet) */
	size_t size;
	int header_words, rows, row_words, rows_taken;
	int open_tried, open_failed;
	unsigned generation;
} probe = { .keep = -1 };

/* This thread's row of counters, valid while row_generation matches. */
static _Thread_local uint64_t *thread_row;
static _Thread_local unsigned row_generation;
static _Thread_local int rows_exhausted;

static PyObject *str_busy, *str_current, *str_lookups, *str_nbytes, *str_authkey, *str_sys_path;
static PyObject *str_f_code, *str_f_back, *str_co_filename, *str_backslash, *str_slash;
static PyObject *str_multiprocessing_dir;
/* code object -> its enum code_kind: a code object's file never changes. */
static PyObject *code_kinds;
/* The files of multiprocessing classify.py names (_INTERNAL_FILES, _QUEUE_FILES). */
enum { FILE_SUFFIXES = 5 };
static struct {
	const char *name;
	enum code_kind kind;
	PyObject *text;
} file_suffixes[FILE_SUFFIXES] = {
	{ "/managers.py", CODE_INTERNAL, NULL }, { "/resource_sharer.py", CODE_INTERNAL, NULL },
	{ "/pool.py", CODE_INTERNAL, NULL },     { "/queues.py", CODE_QUEUE, NULL },
	{ "/connection.py", CODE_QUEUE, NULL },
};

static long long clock_ns(void)
{
	struct timespec now;

	/* time.monotonic_ns() on Linux: the probe's other events use it. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long long)now.tv_sec * 1000000000LL + now.tv_nsec;
}

/* 1 when probe code is already running on this thread, 0 if not; 1 too
 * when the guard cannot be read: the Python wrapper then decides. */
static int probe_busy(void)
{
	PyObject *busy;
	int answer;

	if (!probe.guard_local)
		return 1; /* not configured (fastpath.load() does it) */
	busy = PyObject_GetAttr(probe.guard_local, str_busy);
	if (!busy) {
		PyErr_Clear();
		return 1;
	}
	answer = PyObject_IsTrue(busy);
	Py_DECREF(busy);
	if (answer < 0)
		PyErr_Clear();
	return answer != 0;
}

/* The purpose of a Pool task or result from its shape (classify.shape), or -1. */
static int pool_shape(PyObject *obj)
{
	Py_ssize_t length;
	PyObject *first, *last;

	if (!PyTuple_Check(obj))
		return -1;
	length = PyTuple_Size(obj);
	if (length != 5 && length != 3)
		return -1;
	first = PyTuple_GetItem(obj, 0);
	last = PyTuple_GetItem(obj, length - 1);
	if (!first || !last || !PyLong_Check(first))
		return -1;
	if (length == 5)
		return PyDict_Check(last) ? WHAT_POOL_TASK : -1;
	if (!PyTuple_Check(last) || PyTuple_Size(last) != 2)
		return -1;
	return PyBool_Check(PyTuple_GetItem(last, 0)) ? WHAT_POOL_RESULT : -1;
}

/* The enum code_kind of a file name, as classify._sent_by_queue reads it. */
static int file_kind(PyObject *filename)
{
	PyObject *path = PyUnicode_Replace(filename, str_backslash, str_slash, -1);
	Py_ssize_t length, found;
	int kind = CODE_MULTIPROCESSING;

	if (!path)
		return -1;
	length = PyUnicode_GetLength(path);
	found = PyUnicode_Find(path, str_multiprocessing_dir, 0, length, 1);
	if (found < -1 || length < 0)
		kind = -1;
	else if (found == -1)
		kind = CODE_OUTSIDE;
	for (int i = 0; kind == CODE_MULTIPROCESSING && i < FILE_SUFFIXES; i++)
		if (PyUnicode_Tailmatch(path, file_suffixes[i].text, 0, length, 1) == 1)
			kind = file_suffixes[i].kind;
	Py_DECREF(path);
	return kind;
}

/* The enum code_kind of a code object, remembered; -1 on error. */
static int code_kind(PyObject *code)
{
	PyObject *known = PyDict_GetItemWithError(code_kinds, code), *filename, *value;
	int kind;

	if (known)
		return (int)PyLong_AsLong(known);
	if (PyErr_Occurred())
		return -1;
	filename = PyObject_GetAttr(code, str_co_filename);
	kind = filename && PyUnicode_Check(filename) ? file_kind(filename) : -1;
	Py_XDECREF(filename);
	if (kind < 0)
		return -1;
	if (PyDict_Size(code_kinds) >= CODE_KINDS_LIMIT)
		PyDict_Clear(code_kinds); /* code compiled without end (exec in a loop) */
	value = PyLong_FromLong(kind);
	if (!value || PyDict_SetItem(code_kinds, code, value) < 0)
		kind = -1;
	Py_XDECREF(value);
	return kind;
}

/* classify.by_caller: what an object of no known shape is for, from the
 * frames that called dumps or loads, walking outward; -1 when they cannot
 * be read (Python then decides). */
static int caller_what(void)
{
	PyObject *frame = (PyObject *)PyEval_GetFrame(), *code, *back;
	int seen_queue = 0, kind = CODE_MULTIPROCESSING;

	Py_XINCREF(frame);
	for (int step = 0; step < CALLER_FRAMES && frame && frame != Py_None; step++) {
		code = PyObject_GetAttr(frame, str_f_code);
		kind = code ? code_kind(code) : -1;
		Py_XDECREF(code);
		if (kind < 0 || kind == CODE_OUTSIDE || kind == CODE_INTERNAL)
			break;
		seen_queue |= kind == CODE_QUEUE;
		back = PyObject_GetAttr(frame, str_f_back);
		Py_DECREF(frame);
		frame = back;
		if (!frame) {
			kind = -1;
			break;
		}
	}
	Py_XDECREF(frame);
	if (kind < 0) {
		PyErr_Clear();
		return -1;
	}
	return seen_queue && kind != CODE_INTERNAL ? WHAT_QUEUE_ITEM : WHAT_OTHER;
}

/* What obj is for, when C can tell as classify.what_of would: a Pool task
 * or result by its shape; a value of a built-in type that classify.shape
 * never claims (a dict without the preparation data's keys, a list, a
 * number, a string...) by the frames that called. -1: Python decides (an
 * object of any other class, which may be a Process; the preparation data). */
static int what_of(PyObject *obj)
{
	int what = pool_shape(obj), has_authkey, has_sys_path;

	if (what >= 0)
		return what;
	if (PyDict_CheckExact(obj)) {
		has_authkey = PyDict_Contains(obj, str_authkey);
		has_sys_path = PyDict_Contains(obj, str_sys_path);
		if (has_authkey < 0 || has_sys_path < 0) {
			PyErr_Clear();
			return -1;
		}
		return has_authkey && has_sys_path ? -1 : caller_what();
	}
	/* Exact types: a subclass may be anything, a Process among them. */
	if (PyTuple_CheckExact(obj) || PyList_CheckExact(obj) || PyLong_CheckExact(obj) ||
	    PyBool_Check(obj) || PyFloat_CheckExact(obj) || PyUnicode_CheckExact(obj) ||
	    PyBytes_CheckExact(obj) || obj == Py_None)
		return caller_what();
	return -1;
}

/* Makes the tally file through Python, once per generation. */
static void open_tally_once(void)
{
	PyObject *outcome;

	if (probe.open_tried)
		return;
	probe.open_tried = 1;
	outcome = PyObject_CallObject(probe.open_tally, NULL);
	if (outcome)
		Py_DECREF(outcome);
	else
		PyErr_Clear();
	if (!probe.words)
		probe.open_failed = 1;
}

/* This thread's row; NULL when every row is taken, there is no file, or
 * another thread is making it (then the next call asks again). */
static uint64_t *current_row(void)
{
	if (row_generation != probe.generation) {
		row_generation = probe.generation;
		thread_row = NULL;
		rows_exhausted = 0;
	}
	if (thread_row || rows_exhausted)
		return thread_row;
	open_tally_once();
	if (!probe.words) {
		rows_exhausted = probe.open_failed;
		return NULL;
	}
	if (probe.rows_taken >= probe.rows) {
		rows_exhausted = 1;
		return NULL;
	}
	thread_row = probe.words + probe.header_words + (size_t)probe.rows_taken * probe.row_words;
	probe.rows_taken++;
	probe.words[ROWS_IN_USE_WORD] = (uint64_t)probe.rows_taken;
	return thread_row;
}

/* tally.take: this thread's row when the next pickle of slot is only to be
 * counted; NULL when it is to be sent in full (it is then counted as sent). */
static uint64_t *take(int slot)
{
	uint64_t *row;

	if (probe.keep >= 0 && probe.sent[slot] >= (uint64_t)probe.keep) {
		row = current_row();
		if (row)
			return row;
	}
	probe.sent[slot]++;
	return NULL;
}

/* Whether the fast path may take slot itself: past the kept ones, with the
 * file made and a row for this thread likely. */
static int will_count(int slot)
{
	return probe.words && probe.keep >= 0 && probe.sent[slot] >= (uint64_t)probe.keep;
}

static void count(uint64_t *row, int slot, Py_ssize_t size)
{
	row[2 * slot] += 1;
	row[2 * slot + 1] += (uint64_t)(size > 0 ? size : 0);
}

/* How many bytes data holds (payload.size_of): bytes, or a memoryview's nbytes. */
static Py_ssize_t size_of(PyObject *data)
{
	PyObject *nbytes;
	Py_ssize_t size;

	if (PyBytes_Check(data))
		return PyBytes_Size(data);
	nbytes = PyObject_GetAttr(data, str_nbytes);
	if (!nbytes) {
		PyErr_Clear();
		size = PyObject_Size(data);
	} else {
		size = PyLong_AsSsize_t(nbytes);
		Py_DECREF(nbytes);
	}
	if (size < 0)
		PyErr_Clear();
	return size;
}

/* ---- the wrappers ---------------------------------------------------- */

/* A wrapper of ForkingPickler.dumps or .loads: does the counted case, hands
 * every other call to fallback (the Python wrapper, same arguments). */
typedef struct {
	PyObject_HEAD PyObject *original;
	PyObject *fallback;
	PyObject *on_error; /* (started, obj or data, exc, what or notes) */
	PyObject *finish; /* loads: (started, data, result, notes); None for dumps */
} Wrapper;

/* The call failed: report it as the Python wrapper does (an Exception, not
 * a KeyboardInterrupt or SystemExit), and re-raise it unchanged. */
static PyObject *report_failure(Wrapper *self, long long started, PyObject *subject,
				PyObject *extra)
{
	PyObject *type, *value, *traceback, *outcome;

	if (!PyErr_ExceptionMatches(PyExc_Exception))
		return NULL;
	PyErr_Fetch(&type, &value, &traceback);
	PyErr_NormalizeException(&type, &value, &traceback);
	if (value && traceback)
		PyException_SetTraceback(value, traceback);
	outcome = PyObject_CallFunction(self->on_error, "LOOO", started, subject,
					value ? value : Py_None, extra);
	if (outcome)
		Py_DECREF(outcome);
	else
		PyErr_Clear(); /* the probe's trouble never replaces the program's */
	PyErr_Restore(type, value, traceback);
	return NULL;
}

static PyObject *dumps_call(Wrapper *self, PyObject *args, PyObject *kwargs)
{
	PyObject *obj, *result, *what_number;
	uint64_t *row;
	int what, slot;

	/* (cls, obj, ...): ForkingPickler.dumps is a classmethod */
	if (PyTuple_Size(args) < 2)
		return PyObject_Call(self->fallback, args, kwargs);
	obj = PyTuple_GetItem(args, 1);
	if (probe.keep < 0 || !probe.words || probe_busy())
		return PyObject_Call(self->fallback, args, kwargs);
	what = what_of(obj);
	slot = 2 * what + OP_DUMP;
	if (what < 0 || !will_count(slot))
		return PyObject_Call(self->fallback, args, kwargs);
	row = current_row();
	if (!row) /* no row for this thread: the fallback sends it in full */
		return PyObject_Call(self->fallback, args, kwargs);
	result = PyObject_Call(self->original, args, kwargs);
	if (!result) {
		what_number = PyLong_FromLong(what); /* a small int: cached, never fails */
		if (!what_number)
			return NULL;
		report_failure(self, clock_ns(), obj, what_number);
		Py_DECREF(what_number);
		return NULL;
	}
	count(row, slot, PyObject_Size(result));
	if (PyErr_Occurred())
		PyErr_Clear(); /* a result without a length is counted as empty */
	return result;
}

/* Runs original with notes as this thread's current Notes, so that the
 * audit hook notes the load's lookups, then puts the previous one back.
 * *ran is 0 when the notes could not be put in place: original has not
 * run, and the caller hands the call to the fallback. */
static PyObject *load_noting(Wrapper *self, PyObject *args, PyObject *kwargs, PyObject *notes,
			     int *ran)
{
	PyObject *previous, *result, *type, *value, *traceback;

	*ran = 0;
	previous = PyObject_GetAttr(probe.notes_local, str_current);
	if (!previous || PyObject_SetAttr(probe.notes_local, str_current, notes) < 0) {
		Py_XDECREF(previous);
		PyErr_Clear();
		return NULL;
	}
	*ran = 1;
	result = PyObject_Call(self->original, args, kwargs);
	PyErr_Fetch(&type, &value, &traceback); /* the load's own failure, kept aside */
	if (PyObject_SetAttr(probe.notes_local, str_current, previous) < 0)
		PyErr_Clear();
	PyErr_Restore(type, value, traceback);
	Py_DECREF(previous);
	return result;
}

/* Another purpose, or one to keep: Python decides, counts or reports. */
static void finish_load(Wrapper *self, long long started, PyObject *data, PyObject *result,
			PyObject *notes)
{
	PyObject *outcome =
		PyObject_CallFunction(self->finish, "LOOO", started, data, result, notes);

	if (outcome)
		Py_DECREF(outcome);
	else
		PyErr_Clear();
}

/* Loads: what a pickle is for is known only once it is loaded, so its
 * lookups are noted in case it turns out to be one to keep. */
static PyObject *loads_call(Wrapper *self, PyObject *args, PyObject *kwargs)
{
	PyObject *data, *notes, *result;
	long long started;
	uint64_t *row;
	int what, ran;

	if (probe.keep < 0 || !probe.words || PyTuple_Size(args) < 1 || probe_busy())
		return PyObject_Call(self->fallback, args, kwargs);
	data = PyTuple_GetItem(args, 0);
	started = clock_ns();
	notes = PyObject_CallObject(probe.notes_class, NULL);
	if (!notes) {
		PyErr_Clear();
		return PyObject_Call(self->fallback, args, kwargs);
	}
	result = load_noting(self, args, kwargs, notes, &ran);
	if (!ran) {
		Py_DECREF(notes);
		return PyObject_Call(self->fallback, args, kwargs);
	}
	if (!result) {
		report_failure(self, started, data, notes);
		Py_DECREF(notes);
		return NULL;
	}
	what = what_of(result);
	row = what >= 0 && will_count(2 * what + OP_LOAD) ? current_row() : NULL;
	if (row)
		count(row, 2 * what + OP_LOAD, size_of(data));
	else
		finish_load(self, started, data, result, notes);
	Py_DECREF(notes);
	return result;
}

static PyObject *wrapper_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
	Wrapper *wrapper = (Wrapper *)self;

	return wrapper->finish == Py_None ? dumps_call(wrapper, args, kwargs)
					  : loads_call(wrapper, args, kwargs);
}

static PyObject *wrapper_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static char *names[] = { "original", "fallback", "on_error", "finish", NULL };
	PyObject *original, *fallback, *on_error, *finish = Py_None;
	allocfunc alloc = (allocfunc)PyType_GetSlot(type, Py_tp_alloc);
	Wrapper *self;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOO|O:Wrapper", names, &original, &fallback,
					 &on_error, &finish))
		return NULL;
	self = (Wrapper *)alloc(type, 0);
	if (!self)
		return NULL;
	Py_INCREF(original);
	Py_INCREF(fallback);
	Py_INCREF(on_error);
	Py_INCREF(finish);
	self->original = original;
	self->fallback = fallback;
	self->on_error = on_error;
	self->finish = finish;
	return (PyObject *)self;
}

static void wrapper_dealloc(PyObject *self)
{
	Wrapper *wrapper = (Wrapper *)self;
	PyTypeObject *type = Py_TYPE(self);
	freefunc release = (freefunc)PyType_GetSlot(type, Py_tp_free);

	Py_XDECREF(wrapper->original);
	Py_XDECREF(wrapper->fallback);
	Py_XDECREF(wrapper->on_error);
	Py_XDECREF(wrapper->finish);
	release(self);
	Py_DECREF(type);
}

static PyType_Slot wrapper_slots[] = {
	{ Py_tp_new, (void *)wrapper_new },
	{ Py_tp_call, (void *)wrapper_call },
	{ Py_tp_dealloc, (void *)wrapper_dealloc },
	{ Py_tp_doc,
	  "Wrapper(original, fallback, on_error, finish=None): ForkingPickler.dumps "
	  "(finish None) or .loads with its counted pickles done in C." },
	{ 0, NULL },
};

static PyType_Spec wrapper_spec = {
	.name = "mpscope_probe._fastpath.Wrapper",
	.basicsize = sizeof(Wrapper),
	.flags = Py_TPFLAGS_DEFAULT,
	.slots = wrapper_slots,
};

/* ---- the audit hook ----------------------------------------------------- */

/* sys.addaudithook(find_class_hook): audit.py's _hook, for every audit
 * event of the process; only "pickle.find_class" does anything. */
static PyObject *find_class_hook(PyObject *module, PyObject *args)
{
	PyObject *event, *arguments, *noted, *lookups, *entry, *outcome;
	int failed;

	/* Never raises: an audit hook that raises fails the audited operation. */
	(void)module;
	if (!PyTuple_Check(args) || PyTuple_Size(args) != 2)
		Py_RETURN_NONE;
	event = PyTuple_GetItem(args, 0);
	arguments = PyTuple_GetItem(args, 1);
	if (!event || !PyUnicode_Check(event) ||
	    PyUnicode_CompareWithASCIIString(event, "pickle.find_class") != 0 || !arguments ||
	    !PyTuple_Check(arguments) || PyTuple_Size(arguments) < 2 || probe_busy())
		Py_RETURN_NONE;
	noted = PyObject_GetAttr(probe.notes_local, str_current);
	if (!noted) {
		PyErr_Clear();
		Py_RETURN_NONE;
	}
	if (noted == Py_None) {
		Py_DECREF(noted);
		outcome = PyObject_Call(probe.report_alone, arguments, NULL);
		Py_XDECREF(outcome);
		PyErr_Clear();
		Py_RETURN_NONE;
	}
	lookups = PyObject_GetAttr(noted, str_lookups);
	Py_DECREF(noted);
	entry = Py_BuildValue("(LOO)", clock_ns(), PyTuple_GetItem(arguments, 0),
			      PyTuple_GetItem(arguments, 1));
	failed = !lookups || !entry || PyList_Append(lookups, entry) < 0;
	Py_XDECREF(lookups);
	Py_XDECREF(entry);
	if (failed)
		PyErr_Clear();
	Py_RETURN_NONE;
}

/* ---- the tally ----------------------------------------------------------- */

static void unmap_tally(void)
{
	if (probe.words)
		munmap(probe.words, probe.size);
	probe.words = NULL;
}

static PyObject *map_tally(PyObject *module, PyObject *args)
{
	int fd, header_words, rows, row_words;
	unsigned long long magic, version, pid;
	Py_ssize_t size;
	void *mapped;

	(void)module;
	if (!PyArg_ParseTuple(args, "iniiiKKK:map_tally", &fd, &size, &header_words, &rows,
			      &row_words, &magic, &version, &pid))
		return NULL;
	if (size < (Py_ssize_t)((header_words + (Py_ssize_t)rows * row_words) * sizeof(uint64_t)) ||
	    header_words <= ROWS_IN_USE_WORD || rows <= 0 || row_words <= 0) {
		PyErr_SetString(PyExc_ValueError, "map_tally: the layout does not fit the file");
		return NULL;
	}
	mapped = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (mapped == MAP_FAILED)
		return PyErr_SetFromErrno(PyExc_OSError);
	unmap_tally();
	probe.words = mapped;
	probe.size = (size_t)size;
	probe.header_words = header_words;
	probe.rows = rows;
	probe.row_words = row_words;
	probe.rows_taken = 0;
	probe.words[1] = version;
	probe.words[2] = pid;
	probe.words[0] = magic; /* last: the tracer trusts a file by it */
	Py_RETURN_NONE;
}

static int slot_argument(PyObject *arg, int *slot)
{
	long value = PyLong_AsLong(arg);

	if (value == -1 && PyErr_Occurred())
		return -1;
	if (value < 0 || value >= probe.slots) {
		PyErr_SetString(PyExc_IndexError, "no such tally slot");
		return -1;
	}
	*slot = (int)value;
	return 0;
}

static PyObject *take_slot(PyObject *module, PyObject *arg)
{
	int slot;

	(void)module;
	if (slot_argument(arg, &slot) < 0)
		return NULL;
	return PyBool_FromLong(take(slot) != NULL);
}

static PyObject *add_to_slot(PyObject *module, PyObject *args)
{
	PyObject *slot_object;
	Py_ssize_t size;
	uint64_t *row;
	int slot;

	(void)module;
	if (!PyArg_ParseTuple(args, "On:add", &slot_object, &size) ||
	    slot_argument(slot_object, &slot) < 0)
		return NULL;
	row = current_row();
	if (!row) {
		PyErr_SetString(PyExc_RuntimeError,
				"add: this thread has no tally row (take first)");
		return NULL;
	}
	count(row, slot, size);
	Py_RETURN_NONE;
}

static PyObject *forget(PyObject *module, PyObject *unused)
{
	(void)module;
	(void)unused;
	unmap_tally();
	memset(probe.sent, 0, sizeof(probe.sent));
	probe.rows_taken = 0;
	probe.open_tried = probe.open_failed = 0;
	probe.generation++;
	Py_RETURN_NONE;
}

static PyObject *set_keep(PyObject *module, PyObject *arg)
{
	long long keep = PyLong_AsLongLong(arg);

	(void)module;
	if (keep == -1 && PyErr_Occurred())
		return NULL;
	probe.keep = keep < 0 ? -1 : keep;
	Py_RETURN_NONE;
}

static void replace(PyObject **field, PyObject *value)
{
	PyObject *old = *field;

	Py_INCREF(value);
	*field = value;
	Py_XDECREF(old);
}

static PyObject *configure(PyObject *module, PyObject *args, PyObject *kwargs)
{
	static char *names[] = { "guard_local", "notes_local", "notes_class", "report_alone",
				 "open_tally",  "keep",        "slots",       NULL };
	PyObject *guard_local, *notes_local, *notes_class, *report_alone, *open_tally;
	long long keep;
	int slots;

	(void)module;
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOOLi:configure", names, &guard_local,
					 &notes_local, &notes_class, &report_alone, &open_tally,
					 &keep, &slots))
		return NULL;
	if (slots <= 0 || slots > MAX_SLOTS) {
		PyErr_SetString(PyExc_ValueError, "configure: too many tally slots");
		return NULL;
	}
	replace(&probe.guard_local, guard_local);
	replace(&probe.notes_local, notes_local);
	replace(&probe.notes_class, notes_class);
	replace(&probe.report_alone, report_alone);
	replace(&probe.open_tally, open_tally);
	probe.keep = keep < 0 ? -1 : keep;
	probe.slots = slots;
	Py_RETURN_NONE;
}

static PyMethodDef fastpath_functions[] = {
	{ "configure", (PyCFunction)(void (*)(void))configure, METH_VARARGS | METH_KEYWORDS,
	  "configure(guard_local, notes_local, notes_class, report_alone, open_tally, keep, "
	  "slots)" },
	{ "find_class_hook", find_class_hook, METH_VARARGS,
	  "find_class_hook(event, args): the audit hook" },
	{ "map_tally", map_tally, METH_VARARGS,
	  "map_tally(fd, size, header_words, rows, row_words, magic, version, pid)" },
	{ "take", take_slot, METH_O,
	  "take(slot) -> True when the next pickle of slot is only to be counted" },
	{ "add", add_to_slot, METH_VARARGS, "add(slot, size): count one pickle of size bytes" },
	{ "set_keep", set_keep, METH_O, "set_keep(n): keep the first n of each kind, -1 all" },
	{ "forget", forget, METH_NOARGS, "forget(): after a fork, the parent's file is not ours" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef fastpath_module = {
	PyModuleDef_HEAD_INIT,
	"_fastpath",
	"The probe's counted pickles, in C (see _fastpath.c).",
	-1,
	fastpath_functions,
	NULL,
	NULL,
	NULL,
	NULL,
};

static int intern(PyObject **slot, const char *text)
{
	*slot = PyUnicode_InternFromString(text);
	return *slot ? 0 : -1;
}

PyMODINIT_FUNC PyInit__fastpath(void);

PyMODINIT_FUNC PyInit__fastpath(void)
{
	PyObject *module, *wrapper_type;

	if (intern(&str_busy, "busy") < 0 || intern(&str_current, "current") < 0 ||
	    intern(&str_lookups, "lookups") < 0 || intern(&str_nbytes, "nbytes") < 0 ||
	    intern(&str_authkey, "authkey") < 0 || intern(&str_sys_path, "sys_path") < 0 ||
	    intern(&str_f_code, "f_code") < 0 || intern(&str_f_back, "f_back") < 0 ||
	    intern(&str_co_filename, "co_filename") < 0 || intern(&str_backslash, "\\") < 0 ||
	    intern(&str_slash, "/") < 0 ||
	    intern(&str_multiprocessing_dir, "/multiprocessing/") < 0)
		return NULL;
	for (int i = 0; i < FILE_SUFFIXES; i++)
		if (intern(&file_suffixes[i].text, file_suffixes[i].name) < 0)
			return NULL;
	code_kinds = PyDict_New();
	if (!code_kinds)
		return NULL;
	module = PyModule_Create(&fastpath_module);
	if (!module)
		return NULL;
	wrapper_type = PyType_FromSpec(&wrapper_spec);
	if (!wrapper_type || PyModule_AddObject(module, "Wrapper", wrapper_type) < 0) {
		Py_XDECREF(wrapper_type);
		Py_DECREF(module);
		return NULL;
	}
	return module;
}
