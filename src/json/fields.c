/*
 * fields.c - the tables of fields.h: one row per field of the trace
 * contract v1 (docs/trace-format.md is the prose of these tables), then
 * the probe's own messages (docs/probe-protocol.md).
 */
#include "json/fields.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
/* clang-format off */
#define TABLE(rows) {(rows), ARRAY_LEN(rows), false}
#define LENIENT_TABLE(rows) {(rows), ARRAY_LEN(rows), true}
/* clang-format on */
#define EV(member) offsetof(struct event, u.member)
/* One row: name, type, flags, offset; the optional slots follow as
 * designated initializers (.off_len, .off_has, ENUM(...), .sub). */
#define R(n, t, fl, o) .name = (n), .type = (t), .flags = (fl), .off = (o)

/* The model's name functions take their enum; the tables hold ints. */
#define ENUM_NAMER(fn, type)                                                                       \
	static const char *fn##_of_int(int v)                                                      \
	{                                                                                          \
		return fn##_name((type)v);                                                         \
	}
ENUM_NAMER(fork_via, enum fork_via)
ENUM_NAMER(fd_type, enum fd_type)
ENUM_NAMER(fds_at, enum fds_at)
ENUM_NAMER(stream, enum out_stream)
ENUM_NAMER(pass_via, enum pass_via)
ENUM_NAMER(role, enum role)
ENUM_NAMER(mem_at, enum mem_at)
ENUM_NAMER(fd_purpose, enum fd_purpose)
ENUM_NAMER(pickle_direction, enum pickle_direction)
#define ENUM(fn) .enum_name = fn##_of_int, .enum_parse = fn##_from_name

#define REQ FIELD_REQUIRED

static const struct field fd_rows[] = {
	{ R("fd", FT_FD, REQ, offsetof(struct fd_entry, fd)) },
	{ R("type", FT_ENUM, REQ, offsetof(struct fd_entry, type)), ENUM(fd_type) },
	{ R("target", FT_STR, 0, offsetof(struct fd_entry, target)) },
	{ R("cloexec", FT_BOOL, FIELD_ALWAYS, offsetof(struct fd_entry, is_cloexec)) },
	{ R("as", FT_FD_AS, 0, offsetof(struct fd_entry, as_fd)) },
};
static const struct field_table fd_table = TABLE(fd_rows);

static const struct field common_rows[] = {
	{ R("seq", FT_SEQ, FIELD_ALWAYS, offsetof(struct event, seq)) },
	{ R("t", FT_TIME, REQ, offsetof(struct event, t)) },
	{ R("pid", FT_PID, REQ, offsetof(struct event, pid)) },
};
const struct field_table event_common_fields = TABLE(common_rows);

static const struct field fork_rows[] = {
	{ R("child", FT_PID, REQ, EV(fork.child)) },
	{ R("via", FT_ENUM, FIELD_ALWAYS, EV(fork.via)), ENUM(fork_via) },
};

static const struct field exec_rows[] = {
	{ R("path", FT_STR, REQ, EV(exec.path)) },
	{ R("argv", FT_STRV, 0, EV(exec.argv)) },
};

/* An exit event and a process's "exit" object spell the status alike. */
#define EXIT_ROWS(base)                                                                            \
	{ R("code", FT_INT, FIELD_ONE_OF | FIELD_HAS | FIELD_UNLESS_HAS,                           \
	    (base) + offsetof(struct exit_status, code)),                                          \
	  .off_has = (base) + offsetof(struct exit_status, is_signal) },                           \
		{ R("signal", FT_SIGNAL, FIELD_ONE_OF | FIELD_HAS,                                 \
		    (base) + offsetof(struct exit_status, signal)),                                \
		  .off_has = (base) + offsetof(struct exit_status, is_signal) },                   \
	{                                                                                          \
		R("core", FT_BOOL, 0, (base) + offsetof(struct exit_status, core_dumped))          \
	}

static const struct field exit_rows[] = { EXIT_ROWS(EV(exit)) };
static const struct field exit_status_rows[] = { EXIT_ROWS(0) };
static const struct field_table exit_status_table = TABLE(exit_status_rows);

static const struct field fds_rows[] = {
	{ R("at", FT_ENUM, REQ, EV(fds.at)), ENUM(fds_at) },
	{ R("fds", FT_FDS, REQ, EV(fds.fds)), .off_len = EV(fds.fd_count), .sub = &fd_table },
};

static const struct field threads_rows[] = {
	{ R("count", FT_COUNT, REQ, EV(threads.count)) },
};

static const struct field memory_rows[] = {
	{ R("rss", FT_U64, REQ, EV(memory.rss)) },
	{ R("shared", FT_U64, 0, EV(memory.shared)) },
	{ R("at", FT_ENUM, FIELD_HAS, EV(memory.at)), .off_has = EV(memory.has_at), ENUM(mem_at) },
};

static const struct field start_method_rows[] = {
	{ R("method", FT_STR, REQ, EV(start_method.method)) },
	{ R("explicit", FT_BOOL, FIELD_ALWAYS, EV(start_method.is_explicit)) },
};

static const struct field import_rows[] = {
	{ R("module", FT_STR, REQ, EV(import.module)) },
	{ R("file", FT_STR, 0, EV(import.file)) },
	{ R("by", FT_STR, 0, EV(import.by)) },
};

#define PICKLE_ROWS(peer_name)                                                                     \
	{ R("size", FT_U64, REQ, EV(pickle.size)) }, { R("what", FT_STR, 0, EV(pickle.what)) },    \
		{ R("type", FT_STR, 0, EV(pickle.type)) },                                         \
		{ R(peer_name, FT_PEER, 0, EV(pickle.peer)) },                                     \
		{ R("bytes", FT_BYTES, 0, EV(pickle.bytes)), .off_len = EV(pickle.bytes_len) },    \
		{ R("truncated", FT_BOOL, 0, EV(pickle.is_truncated)) },                           \
		{ R("redacted", FT_BOOL, 0, EV(pickle.is_redacted)) },                             \
		{ R("globals", FT_GLOBALS, 0, EV(pickle.globals)),                                 \
		  .off_len = EV(pickle.global_count) },                                            \
	{                                                                                          \
		R("error", FT_STR, 0, EV(pickle.error))                                            \
	}

static const struct field pickle_dump_rows[] = { PICKLE_ROWS("to") };
static const struct field pickle_load_rows[] = { PICKLE_ROWS("from") };

static const struct field find_class_rows[] = {
	{ R("module", FT_STR, REQ, EV(find_class.module)) },
	{ R("name", FT_STR, REQ, EV(find_class.name)) },
};

static const struct field output_rows[] = {
	{ R("stream", FT_ENUM, REQ, EV(output.stream)), ENUM(stream) },
	{ R("text", FT_TEXT, FIELD_ONE_OF, EV(output.text)), .off_len = EV(output.text_len) },
	{ R("text_b64", FT_TEXT_B64, FIELD_ONE_OF, EV(output.text)),
	  .off_len = EV(output.text_len) },
};

static const struct field error_rows[] = {
	{ R("message", FT_STR, REQ, EV(error.message)) },
};

static const struct field fds_pass_rows[] = {
	{ R("via", FT_ENUM, REQ, EV(fds_pass.via)), ENUM(pass_via) },
	{ R("to", FT_PEER, 0, EV(fds_pass.to)) },
	{ R("socket", FT_STR, 0, EV(fds_pass.socket)) },
	{ R("fds", FT_FDS, REQ, EV(fds_pass.fds)), .off_len = EV(fds_pass.fd_count),
	  .sub = &fd_table },
	{ R("closed", FT_FDS, 0, EV(fds_pass.closed)), .off_len = EV(fds_pass.closed_count),
	  .sub = &fd_table },
	{ R("pickle_seq", FT_SEQ_REF, 0, EV(fds_pass.pickle_seq)) },
};

static const struct field fds_label_rows[] = {
	{ R("fd", FT_FD, REQ, EV(fds_label.fd)) },
	{ R("target", FT_STR, 0, EV(fds_label.target)) },
	{ R("what", FT_ENUM, REQ, EV(fds_label.what)), ENUM(fd_purpose) },
	{ R("peer", FT_PEER, 0, EV(fds_label.peer)) },
};

static const struct field pickle_summary_rows[] = {
	{ R("what", FT_STR, REQ, EV(pickle_summary.what)) },
	{ R("op", FT_ENUM, REQ, EV(pickle_summary.op)), ENUM(pickle_direction) },
	{ R("count", FT_U64, REQ, EV(pickle_summary.count)) },
	{ R("size", FT_U64, REQ, EV(pickle_summary.size)) },
};

static const struct field_table kind_tables[EV_KIND_COUNT] = {
	[EV_PROC_START] = { NULL, 0, false },
	[EV_FORK] = TABLE(fork_rows),
	[EV_EXEC] = TABLE(exec_rows),
	[EV_EXIT] = TABLE(exit_rows),
	[EV_FDS] = TABLE(fds_rows),
	[EV_THREADS] = TABLE(threads_rows),
	[EV_MEMORY] = TABLE(memory_rows),
	[EV_START_METHOD] = TABLE(start_method_rows),
	[EV_IMPORT] = TABLE(import_rows),
	[EV_PICKLE_DUMP] = TABLE(pickle_dump_rows),
	[EV_PICKLE_LOAD] = TABLE(pickle_load_rows),
	[EV_PICKLE_FIND_CLASS] = TABLE(find_class_rows),
	[EV_OUTPUT] = TABLE(output_rows),
	[EV_ERROR] = TABLE(error_rows),
	[EV_FDS_PASS] = TABLE(fds_pass_rows),
	[EV_FDS_LABEL] = TABLE(fds_label_rows),
	[EV_PICKLE_SUMMARY] = TABLE(pickle_summary_rows),
	[EV_UNKNOWN] = { NULL, 0, false },
};

const struct field_table *event_kind_fields(enum ev_kind kind)
{
	return &kind_tables[kind < EV_KIND_COUNT ? kind : EV_UNKNOWN];
}

#define PROC(member) offsetof(struct process, member)

static const struct field process_rows[] = {
	{ R("pid", FT_PID, REQ, PROC(pid)) },
	{ R("ppid", FT_PEER, FIELD_ALWAYS, PROC(ppid)) },
	{ R("role", FT_ENUM, REQ, PROC(role)), ENUM(role) },
	{ R("argv", FT_STRV, FIELD_ALWAYS, PROC(argv)) },
	{ R("exe", FT_STR, 0, PROC(exe)) },
	{ R("start", FT_TIME, REQ, PROC(start)) },
	{ R("end", FT_TIME, FIELD_HAS, PROC(end)), .off_has = PROC(has_end) },
	{ R("exit", FT_OBJECT, FIELD_HAS, PROC(exit)), .off_has = PROC(has_exit),
	  .sub = &exit_status_table },
	{ R("method", FT_STR, 0, PROC(method)) },
};
const struct field_table process_fields = TABLE(process_rows);

#define META(member) offsetof(struct trace_meta, member)

static const struct field capture_rows[] = {
	{ R("ptrace", FT_BOOL, FIELD_ALWAYS, META(has_ptrace)) },
	{ R("probe", FT_BOOL, FIELD_ALWAYS, META(has_probe)) },
};
static const struct field_table capture_table = TABLE(capture_rows);

static const struct field meta_rows[] = {
	{ R("program", FT_STR, REQ, META(program)) },
	{ R("argv", FT_STRV, FIELD_ALWAYS, META(argv)) },
	{ R("method", FT_STR, REQ, META(method)) },
	{ R("methods", FT_STRV, 0, META(methods)) },
	{ R("requested_method", FT_STR, 0, META(requested_method)) },
	{ R("python", FT_STR, 0, META(python)) },
	{ R("platform", FT_STR, 0, META(platform)) },
	{ R("recorded_at", FT_STR, 0, META(recorded_at)) },
	/* Offsets of capture's rows are from the meta struct itself. */
	{ R("capture", FT_OBJECT, FIELD_ALWAYS, 0), .sub = &capture_table },
	{ R("payload_cap", FT_U64, 0, META(payload_cap)) },
	{ R("payload_keep_first", FT_U64, FIELD_HAS, META(payload_keep_first)),
	  .off_has = META(has_payload_keep_first) },
	{ R("all_payloads", FT_BOOL, 0, META(is_all_payloads)) },
	{ R("redacted", FT_STRV, 0, META(redacted)) },
	{ R("dropped_events", FT_U64, 0, META(dropped_events)) },
	{ R("reordered_events", FT_U64, 0, META(reordered_events)) },
};
const struct field_table meta_fields = TABLE(meta_rows);

/* The probe's messages (docs/probe-protocol.md): only the fields the
 * tracer uses (a hello's "python", a spawn's "passfds", a receipt's "via",
 * "from", "socket" and "address" are left out). Lenient: a probe-only
 * message is never refused for a bad field, it only loses that field. */
#define PROBE(member) offsetof(struct probe_message, member)

static const struct field envelope_rows[] = {
	{ R("pid", FT_PID, 0, PROBE(pid)) },
};
const struct field_table probe_envelope_fields = LENIENT_TABLE(envelope_rows);

static const struct field hello_rows[] = {
	{ R("executable", FT_STR, 0, PROBE(u.hello.executable)) },
	{ R("argv", FT_STRV, 0, PROBE(u.hello.argv)) },
	{ R("ppid", FT_PID, 0, PROBE(u.hello.ppid)) },
	{ R("forked", FT_BOOL, 0, PROBE(u.hello.is_forked)) },
};

static const struct field role_rows[] = {
	{ R("role", FT_ENUM, FIELD_HAS, PROBE(u.role.role)), .off_has = PROBE(u.role.has_role),
	  ENUM(role) },
};

static const struct field spawn_rows[] = {
	{ R("child", FT_PID, 0, PROBE(u.spawn.child)) },
	{ R("argv", FT_STRV, 0, PROBE(u.spawn.argv)) },
};

static const struct field fds_recv_rows[] = {
	{ R("pass_ref", FT_STR, 0, PROBE(pass_ref)) },
	{ R("fds", FT_RECEIVED_FDS, 0, PROBE(u.fds_recv.fds)),
	  .off_len = PROBE(u.fds_recv.fd_count) },
};

static const struct field dropped_rows[] = {
	{ R("count", FT_COUNT, 0, PROBE(u.dropped.count)) },
};

static const struct field launch_rows[] = {
	{ R("child", FT_PID, 0, PROBE(u.launch.child)) },
	{ R("method", FT_STR, 0, PROBE(u.launch.method)) },
};

static const struct field tally_rows[] = {
	{ R("file", FT_STR, 0, PROBE(u.tally.file)) },
};

static const struct field_table probe_kind_tables[PROBE_KIND_COUNT] = {
	[PROBE_HELLO] = LENIENT_TABLE(hello_rows),
	[PROBE_ROLE] = LENIENT_TABLE(role_rows),
	[PROBE_SPAWN] = LENIENT_TABLE(spawn_rows),
	[PROBE_FDS_RECV] = LENIENT_TABLE(fds_recv_rows),
	[PROBE_DROPPED] = LENIENT_TABLE(dropped_rows),
	[PROBE_LAUNCH] = LENIENT_TABLE(launch_rows),
	[PROBE_TALLY] = LENIENT_TABLE(tally_rows),
};

const struct field_table *probe_kind_fields(enum probe_kind kind)
{
	return kind < PROBE_KIND_COUNT && probe_kind_tables[kind].fields ? &probe_kind_tables[kind]
									 : NULL;
}

static const struct field ref_rows[] = {
	{ R("pass_ref", FT_STR, 0, PROBE(pass_ref)) },
	{ R("pickle_ref", FT_STR, 0, PROBE(pickle_ref)) },
	{ R("pickle_refs", FT_STRV, 0, PROBE(pickle_refs)) },
};
const struct field_table probe_ref_fields = LENIENT_TABLE(ref_rows);
