/*
 * cmd_dis.c - `mpscope dis [--decode] [--summary] [--verdict] [--show-authkey] [FILE|-]`.
 *
 * Without options it prints the listing of `python3 -m pickletools FILE`,
 * byte for byte. On bad input it prints the listing up to the problem (as
 * pickletools does before it raises), then one sentence on stderr, exit 1.
 * --verdict says what loading would call and judges it: exit 3 when that
 * is dangerous (even in a pickle malformed further on: loading would have
 * made the call before failing). Reading the file and writing stdout
 * happen here; src/pickle/ does neither.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "pickle/pickle.h"

#define FLUSH_AT (1u << 16)
/* Deep MARK nesting indents every line: 20,000 nested MARKs would be 800 MB
 * of spaces. The listing stops at this budget plus a generous allowance
 * per input byte (a normal listing is about 5 bytes per input byte). */
#define OUTPUT_BASE (64u << 20)
#define OUTPUT_PER_BYTE 32u

struct dis_opts {
	bool decode, summary, verdict, show_authkey;
	const char *path;
};

static const char usage_text[] =
	"usage: mpscope dis [--decode] [--summary] [--verdict] [--show-authkey] [FILE|-]\n\n"
	"Disassembles a pickle without loading it. With no option the listing is the\n"
	"same as `python3 -m pickletools FILE`. --decode shows the object the pickle\n"
	"would build (nothing is imported or called), --summary its globals and size.\n"
	"--verdict lists what loading would import and call, and ends with one line:\n"
	"verdict: data, imports, calls or dangerous (exit status 3 for dangerous).\n"
	"The multiprocessing authkey is redacted unless --show-authkey is given.\n";

static int parse(int argc, char **argv, struct dis_opts *o)
{
	memset(o, 0, sizeof(*o));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--decode") == 0)
			o->decode = true;
		else if (strcmp(a, "--summary") == 0)
			o->summary = true;
		else if (strcmp(a, "--verdict") == 0)
			o->verdict = true;
		else if (strcmp(a, "--show-authkey") == 0)
			o->show_authkey = true;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			return 1;
		else if (a[0] == '-' && a[1] != '\0') {
			fprintf(stderr,
				"mpscope: dis: unknown option '%s'; 'mpscope dis --help' lists "
				"them\n",
				a);
			return -1;
		} else if (o->path) {
			fprintf(stderr, "mpscope: dis: give one pickle file, not '%s' and '%s'\n",
				o->path, a);
			return -1;
		} else {
			o->path = a;
		}
	}
	if (!o->path)
		o->path = "-";
	return 0;
}

/* The whole input. A regular file is mapped (MAP_POPULATE: one pass, no
 * copy: most of `dis`'s system time on a 17 MB pickle was reading it);
 * a pipe or stdin is read into a buffer that grows by doubling. */
struct input {
	uint8_t *data;
	size_t len;
	bool is_mapped;
};

static int input_read_stream(FILE *f, struct input *in)
{
	size_t cap = 0, n;

	do {
		if (in->len == cap) {
			uint8_t *p = realloc(in->data, cap ? cap * 2 : 1 << 16);

			if (!p)
				return -1;
			in->data = p;
			cap = cap ? cap * 2 : 1 << 16;
		}
		n = fread(in->data + in->len, 1, cap - in->len, f);
		in->len += n;
	} while (n > 0);
	return ferror(f) ? -1 : 0;
}

static int input_open(const char *path, struct input *in)
{
	struct stat st;
	FILE *f;
	int fd, rc;

	memset(in, 0, sizeof(*in));
	if (strcmp(path, "-") == 0)
		return input_read_stream(stdin, in);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < SIZE_MAX / 2) {
		void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
			       0);

		if (p != MAP_FAILED) {
			close(fd);
			in->data = p;
			in->len = (size_t)st.st_size;
			in->is_mapped = true;
			return 0;
		}
	}
	f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return -1;
	}
	rc = input_read_stream(f, in);
	fclose(f);
	return rc;
}

static void input_close(struct input *in)
{
	if (in->is_mapped)
		munmap(in->data, in->len);
	else
		free(in->data);
	memset(in, 0, sizeof(*in));
}

/* fflush too: stdio would otherwise keep the last bytes until exit, where a
 * write error (a full disk) goes unseen and the exit status says success. */
static bool flush(struct sbuf *out)
{
	bool ok = !out->is_oom &&
		fwrite(out->data ? out->data : "", 1, out->len, stdout) == out->len &&
		fflush(stdout) == 0;

	sbuf_clear(out);
	return ok;
}

/* The pickletools listing, streamed. Returns the exit status. */
static int listing(const uint8_t *buf, size_t len, const struct dis_opts *o, struct sbuf *out)
{
	struct pickle_walker w;
	struct pickle_insn insn;
	struct pickle_redactions redact = { 0 };
	struct arena a;
	struct mp_err err = { { 0 } }, scan_err;
	size_t budget = OUTPUT_BASE + OUTPUT_PER_BYTE * (len < SIZE_MAX / 64 ? len : SIZE_MAX / 64);
	size_t written = 0;
	bool printable, is_write_failed = false;
	int rc;

	arena_init(&a);
	/* Only a spawn payload holds an authkey; skip the decoder pass otherwise. */
	if (!o->show_authkey && memmem(buf, len, "AuthenticationString", 20))
		(void)pickle_find_authkeys(buf, len, &a, &redact, &scan_err);
	pickle_walker_init(&w, buf, len);
	while ((rc = pickle_walker_next(&w, &insn, &printable, &err)) > 0 || printable) {
		pickle_insn_format(&insn, &redact, out);
		if (out->len >= FLUSH_AT) {
			written += out->len;
			/* Remembered: flush() empties the buffer, so the final flush
			 * below would succeed and hide a full disk. */
			is_write_failed = !flush(out);
			if (is_write_failed)
				break;
		}
		if (written + out->len > budget) {
			flush(out);
			fprintf(stderr,
				"mpscope: byte %zu: listing cut after %zu MiB of output (MARKs "
				"nested %zu deep); "
				"--summary and --decode still work\n",
				insn.offset, budget >> 20, insn.mark_level);
			rc = -2;
			break;
		}
		if (rc < 0)
			break;
	}
	if (w.is_done && rc != -2)
		pickle_format_highest(w.max_proto, out);
	pickle_walker_release(&w);
	arena_release(&a);
	if (is_write_failed || !flush(out)) {
		fprintf(stderr, "mpscope: cannot write the listing to standard output\n");
		return 1;
	}
	if (rc == -1)
		fprintf(stderr, "mpscope: %s\n", err.msg);
	return rc < 0 ? 1 : 0;
}

static int decoded(const uint8_t *buf, size_t len, const struct dis_opts *o, struct sbuf *out)
{
	struct arena a;
	struct pickle_node *root;
	struct mp_err err;
	int rc = 0;

	arena_init(&a);
	if (pickle_decode(buf, len, &a, &root, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		rc = 1;
	} else {
		pickle_render(root,
			      PK_RENDER_ELIDE | (o->show_authkey ? PK_RENDER_SHOW_AUTHKEY : 0),
			      out);
		if (!flush(out)) {
			fprintf(stderr, "mpscope: cannot write to standard output\n");
			rc = 1;
		}
	}
	arena_release(&a);
	return rc;
}

static int summary(const uint8_t *buf, size_t len, struct sbuf *out)
{
	struct arena a;
	struct pickle_summary s;
	struct mp_err err;
	int rc = 0;

	arena_init(&a);
	if (pickle_summarize(buf, len, &a, &s, &err) < 0) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
		rc = 1;
	} else {
		pickle_summary_format(&s, out);
		if (!flush(out)) {
			fprintf(stderr, "mpscope: cannot write to standard output\n");
			rc = 1;
		}
	}
	arena_release(&a);
	return rc;
}

/* Exit status 3 when loading would do something dangerous, whatever else. */
static int verdict(const uint8_t *buf, size_t len, struct sbuf *out)
{
	struct arena a;
	struct pickle_analysis an;
	struct mp_err err;
	int rc;

	arena_init(&a);
	rc = pickle_analyze(buf, len, &a, &an, &err) < 0 ? 1 : 0;
	pickle_analysis_format(&an, out);
	if (!flush(out)) {
		fprintf(stderr, "mpscope: cannot write to standard output\n");
		rc = 1;
	} else if (rc) {
		fprintf(stderr, "mpscope: %s\n", err.msg);
	}
	if (an.verdict == PK_VERDICT_DANGEROUS)
		rc = 3;
	arena_release(&a);
	return rc;
}

int cmd_dis(int argc, char **argv)
{
	struct dis_opts o;
	struct sbuf out;
	struct input in;
	int rc;

	rc = parse(argc, argv, &o);
	if (rc != 0) {
		fputs(usage_text, rc > 0 ? stdout : stderr);
		return rc > 0 ? 0 : 2;
	}
	errno = 0;
	if (input_open(o.path, &in) < 0) {
		fprintf(stderr, "mpscope: cannot read '%s': %s\n", o.path,
			errno ? strerror(errno) : "out of memory");
		input_close(&in);
		return 1;
	}
	sbuf_init(&out);
	if (!o.decode && !o.summary && !o.verdict)
		rc = listing(in.data, in.len, &o, &out);
	if (o.decode)
		rc = decoded(in.data, in.len, &o, &out);
	if (o.summary && rc == 0) {
		if (o.decode)
			sbuf_addc(&out, '\n');
		rc = summary(in.data, in.len, &out);
	}
	if (o.verdict && rc == 0) {
		if (o.decode || o.summary)
			sbuf_addc(&out, '\n');
		rc = verdict(in.data, in.len, &out);
	}
	sbuf_release(&out);
	input_close(&in);
	return rc;
}
