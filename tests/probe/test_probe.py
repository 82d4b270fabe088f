"""Tests of the Python probe (src/probe) against tests/probe/receiver.py.

Run with the interpreter under test (tests/e2e/probe.sh runs it with every
CPython 3.8-3.13 it finds):   python3 tests/probe/test_probe.py -v
The 40,000-pickle load test runs only with MPSCOPE_PROBE_LOAD_TEST=1.
"""
import base64
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "src", "probe"))

import receiver  # noqa: E402
from mpscope_probe import notes, patching, payload, pickles, startmethod, transport, wire  # noqa: E402

PROGRAMS = os.path.join(HERE, "programs")
VERSION = "%d.%d" % sys.version_info[:2]


def program(name):
    return os.path.join(PROGRAMS, name)


def out(completed):
    return completed.stdout.decode("utf-8", "replace")


class TracedRun:
    """One traced run: the completed process and its messages by kind."""

    def __init__(self, argv, method="", extra_env=None):
        self.completed, self.receiver = receiver.run_traced(argv, method, extra_env)
        self.stdout = out(self.completed)
        self.stderr = self.completed.stderr.decode("utf-8", "replace")
        hellos = self.events("probe.hello")
        self.main_pid = hellos[0]["pid"] if hellos else None

    def events(self, kind, **match):
        return self.receiver.events(kind, **match)

    def pids_with_role(self, role):
        return [event["pid"] for event in self.events("probe.role", role=role)]


class ProbeTestCase(unittest.TestCase):
    def trace(self, argv, method="", extra_env=None):
        run = TracedRun(argv, method, extra_env)
        self.assertEqual(run.receiver.problems, [], "protocol problems")
        self.assertEqual(run.events("probe.dropped"), [], "the probe dropped events")
        self.assertEqual(run.events("error"), [], "the probe reported errors")
        self.assertEqual(run.completed.returncode, 0, run.stderr)
        return run


class PlainScript(ProbeTestCase):
    def test_plain_script_does_not_import_multiprocessing(self):
        run = self.trace([program("plain.py")])
        self.assertEqual(run.stdout, "plain False None\n")
        kinds = [message["kind"] for _, message in run.receiver.messages]
        self.assertEqual(kinds, ["probe.hello", "probe.role"])
        self.assertEqual(run.pids_with_role("main"), [run.main_pid])

    def test_users_sitecustomize_still_runs(self):
        user_site = {"PYTHONPATH": program("user_site")}
        untraced = receiver.run_untraced([program("plain.py")], user_site)
        run = self.trace([program("plain.py")], extra_env=user_site)
        self.assertEqual(run.stdout, "user sitecustomize ran in plain.py\nplain False %s\n"
                         % program("user_site"))
        self.assertEqual(run.stdout, out(untraced))

    def test_program_and_children_see_their_own_environment(self):
        user = {"PYTHONPATH": PROGRAMS}
        untraced = receiver.run_untraced([program("child_environ.py")], user)
        run = self.trace([program("child_environ.py")], extra_env=user)
        self.assertEqual(run.stdout, out(untraced))
        self.assertEqual(len(run.pids_with_role("child")), 1, "the spawned child has the probe")

    def test_unreachable_tracer_changes_nothing(self):
        env = receiver.probe_env("/nonexistent/mpscope.sock", "spawn")
        untraced = receiver.run_untraced([program("classic.py")])
        completed = receiver.subprocess.run(
            [sys.executable, program("classic.py")], env=env, cwd=PROGRAMS,
            stdout=receiver.subprocess.PIPE, stderr=receiver.subprocess.PIPE, timeout=60)
        self.assertEqual(completed.stdout, untraced.stdout)
        self.assertEqual(completed.returncode, 0)


class Bytecode(ProbeTestCase):
    def test_probe_caches_only_its_own_bytecode_under_dont_write_bytecode(self):
        folder = tempfile.mkdtemp(prefix="mpscope-probe-bytecode-")
        self.addCleanup(shutil.rmtree, folder, True)
        probe = os.path.join(folder, "probe")
        shutil.copytree(receiver.PROBE_DIR, probe, ignore=shutil.ignore_patterns("__pycache__"))
        with open(os.path.join(folder, "userlib.py"), "w") as f:
            f.write("VALUE = 1\n")
        with receiver.Receiver() as sink:
            env = receiver.probe_env(sink.path)
            env.update({"PYTHONPATH": probe, "PYTHONDONTWRITEBYTECODE": "1"})
            completed = receiver.subprocess.run(
                [sys.executable, "-c", "import sys, userlib; print(sys.dont_write_bytecode)"],
                env=env, cwd=folder, stdout=receiver.subprocess.PIPE, timeout=60)
            sink.wait_quiet()
        self.assertEqual(completed.stdout, b"True\n", "the program's -B is unchanged")
        self.assertFalse(os.path.exists(os.path.join(folder, "__pycache__")),
                         "the program's own modules are not cached")
        package = os.path.join(probe, "mpscope_probe")
        expected = sorted("%s.%s.pyc" % (name[:-3], sys.implementation.cache_tag)
                          for name in os.listdir(package) if name.endswith(".py"))
        self.assertEqual(sorted(os.listdir(os.path.join(package, "__pycache__"))), expected)


class Fork(ProbeTestCase):
    def test_fork_pickles_nothing_to_start_a_process(self):
        run = self.trace([program("classic.py")], "fork")
        self.assertEqual(run.stdout, out(receiver.run_untraced([program("classic.py")])))
        self.assertEqual(run.events("pickle.dump"), [])
        self.assertEqual([(e["method"], e["explicit"]) for e in run.events("start_method")],
                         [("fork", False)])
        child = run.pids_with_role("child")
        self.assertEqual(len(child), 1)
        hello = run.events("probe.hello", pid=child[0])[0]
        self.assertTrue(hello["forked"])
        self.assertEqual(hello["ppid"], run.main_pid)


class Spawn(ProbeTestCase):
    def setUp(self):
        self.run = self.trace([program("classic.py")], "spawn")
        self.child = self.run.pids_with_role("child")[0]

    def test_output_is_byte_identical(self):
        untraced = receiver.run_untraced([program("classic.py")])
        self.assertEqual(self.run.completed.stdout, untraced.stdout)
        self.assertEqual(self.run.completed.stderr, untraced.stderr)

    def test_preparation_then_process_pickled_to_the_child(self):
        dumps = self.run.events("pickle.dump", pid=self.run.main_pid)
        self.assertEqual([d["what"] for d in dumps], ["preparation", "process"])
        for dump in dumps:
            self.assertEqual(dump["to"], self.child)
            self.assertEqual(len(base64.b64decode(dump["bytes"])), dump["size"])
            self.assertFalse(dump["truncated"])
        self.assertEqual(dumps[1]["type"], "Process")
        self.assertIn(b"__main__", base64.b64decode(dumps[1]["bytes"]))

    def test_authkey_is_redacted(self):
        preparation = self.run.events("pickle.dump", what="preparation")[0]
        self.assertTrue(preparation["redacted"])
        self.assertIn(b"<authkey-redacted>**************", base64.b64decode(preparation["bytes"]))
        loaded = self.run.events("pickle.load", pid=self.child, what="preparation")[0]
        self.assertEqual(loaded["bytes"], preparation["bytes"])

    def test_child_loads_from_parent_and_looks_up_main_f(self):
        loads = self.run.events("pickle.load", pid=self.child)
        self.assertEqual([l["what"] for l in loads[:2]], ["preparation", "process"])
        self.assertEqual(loads[1]["from"], self.run.main_pid)
        self.assertIn(["__main__", "f"], loads[1]["globals"])
        self.assertEqual(len(self.run.events("pickle.find_class", pid=self.child,
                                             module="__main__", name="f")), 1)

    def test_child_reimports_main_as_mp_main(self):
        imports = self.run.events("import", pid=self.child)
        self.assertEqual(len(imports), 1)
        self.assertEqual(imports[0]["module"], "__mp_main__")
        self.assertEqual(imports[0]["file"], program("classic.py"))

    def test_process_start_is_reported_with_passed_fds(self):
        spawns = self.run.events("probe.spawn", child=self.child)
        self.assertEqual(len(spawns), 1)
        self.assertIn("--multiprocessing-fork", spawns[0]["argv"])
        passed = self.run.events("fds.pass", via="exec", to=self.child)[0]
        self.assertEqual([fd["fd"] for fd in passed["fds"]], spawns[0]["passfds"])
        self.assertTrue(all(fd["as"] == fd["fd"] for fd in passed["fds"]))
        self.assertEqual(len(self.run.pids_with_role("resource_tracker")), 1)


class Forkserver(ProbeTestCase):
    def test_forkserver_role_fd_passing_and_start_pickles(self):
        run = self.trace([program("classic.py")], "forkserver")
        self.assertEqual(run.stdout, out(receiver.run_untraced([program("classic.py")])))
        server = run.pids_with_role("forkserver")
        self.assertEqual(len(server), 1)
        child = run.pids_with_role("child")[0]
        self.assertEqual(run.events("probe.hello", pid=child)[0]["ppid"], server[0])

        sent = run.events("fds.pass", via="scm_rights")
        self.assertEqual(len(sent), 1)
        self.assertEqual((sent[0]["pid"], sent[0]["to"]), (run.main_pid, server[0]))
        received = run.events("probe.fds_recv", pass_ref=sent[0]["pass_ref"])
        self.assertEqual(len(received), 1)
        self.assertEqual(received[0]["pid"], server[0])
        self.assertEqual([fd["target"] for fd in received[0]["fds"]],
                         [fd["target"] for fd in sent[0]["fds"]])

        self.assertEqual([d["to"] for d in run.events("pickle.dump", pid=run.main_pid)],
                         [child, child])
        process = run.events("pickle.load", pid=child, what="process")[0]
        self.assertEqual(process["from"], run.main_pid)


class PicklingErrors(ProbeTestCase):
    def check(self, method):
        untraced = receiver.run_untraced([program("lambda_target.py"), method])
        run = self.trace([program("lambda_target.py"), "default"], method)
        self.assertEqual(run.stdout, out(untraced))
        self.assertRegex(run.stdout, r"(?m)^PicklingError: Can't pickle <function <lambda>")
        self.assertRegex(run.stdout, r"(?m)^AttributeError: Can't (pickle|get) local object")
        failed = [d for d in run.events("pickle.dump") if "error" in d]
        self.assertEqual([d["what"] for d in failed], ["process", "process"])
        self.assertTrue(failed[0]["error"].startswith("PicklingError: Can't pickle <function <lambda>"))
        self.assertRegex(failed[1]["error"], r"^AttributeError: Can.t (pickle|get) local object")
        self.assertEqual(run.pids_with_role("child"), [])

    def test_lambda_and_local_function_under_spawn(self):
        self.check("spawn")

    def test_lambda_and_local_function_under_forkserver(self):
        self.check("forkserver")


class StartMethod(ProbeTestCase):
    def test_program_may_still_set_its_own_method(self):
        for requested, chosen in (("fork", "spawn"), ("spawn", "fork"), ("forkserver", "spawn")):
            run = self.trace([program("explicit_method.py"), chosen], requested)
            self.assertEqual(run.stdout, "child ran\nmethod %s\n" % chosen)
            self.assertEqual([(e["method"], e["explicit"]) for e in run.events("start_method")],
                             [(chosen, True)])

    def test_requested_method_is_a_default_not_a_choice(self):
        run = self.trace([program("report_method.py")], "forkserver")
        # Untraced, nothing is chosen before first use either (allow_none -> None).
        self.assertEqual(run.stdout, "chosen before use: None\nin use: forkserver\n")


class Descriptors(ProbeTestCase):
    def test_fd_numbers_the_program_sees_are_unchanged(self):
        untraced = out(receiver.run_untraced([program("fd_table.py")]))
        run = self.trace([program("fd_table.py")])
        traced = run.stdout.splitlines()
        for before, after in zip(untraced.splitlines(), traced):
            who, fds = after.split(" ", 1)
            seen = eval(fds, {})  # a list literal printed by our own program
            probe_fds = [fd for fd in seen if fd >= 900]
            # Each process sees exactly one more fd: its own probe connection.
            self.assertEqual(len(probe_fds), 1, after)
            self.assertEqual("%s %s" % (who, [fd for fd in seen if fd < 900]), before)
        for passed in run.events("fds.pass", via="exec"):
            self.assertTrue(all(fd["fd"] < 900 for fd in passed["fds"]))

    def test_connection_through_queue_via_resource_sharer(self):
        for method in ("spawn", "forkserver", "fork"):
            run = self.trace([program("pass_connection.py")], method)
            self.assertEqual(run.stdout, "hello through a passed connection\nexit code 0\n")
            shared = run.events("fds.pass", via="resource_sharer")
            self.assertEqual(len(shared), 1, method)
            ref = shared[0]["pickle_ref"]
            carriers = [d for d in run.events("pickle.dump") if ref in d.get("pickle_refs", [])]
            self.assertEqual([(c["what"], c["type"]) for c in carriers],
                             [("queue_item", "Connection")])
            received = run.events("probe.fds_recv", pass_ref=ref)
            self.assertEqual(received[0]["fds"][0]["target"], shared[0]["fds"][0]["target"])
            self.assertEqual(received[0]["pid"], shared[0]["to"])


@unittest.skipUnless(os.environ.get("MPSCOPE_PROBE_LOAD_TEST") == "1",
                     "set MPSCOPE_PROBE_LOAD_TEST=1 for the 40,000-pickle load test")
class Load(ProbeTestCase):
    def test_forty_thousand_pickles_lose_nothing(self):
        tasks = 20000
        run = self.trace([program("pool_map.py"), str(tasks)])
        self.assertEqual(run.stdout, "sum %d\n" % sum(x * x for x in range(tasks)))
        for kind in ("pickle.dump", "pickle.load"):
            for what in ("pool_task", "pool_result"):
                self.assertEqual(len(run.events(kind, what=what)), tasks, (kind, what))
        # Each task looks up mapstar and the function; those events ride in
        # the packet of their load.
        self.assertEqual(len(run.events("pickle.find_class")), 2 * tasks)
        self.assertLess(run.receiver.packet_count, len(run.receiver.messages) - 2 * tasks + 100)


class Units(unittest.TestCase):
    def test_wire_escapes_control_characters_and_keeps_unicode(self):
        text = wire.encode({"a": 'q"\\\n\x00\x7f é', "b": [1, True, None], "c": False})
        self.assertEqual(text.decode("utf-8"),
                         '{"a":"q\\"\\\\\\u000a\\u0000\\u007f é","b":[1,true,null],"c":false}')

    def test_wire_fast_path_matches_the_escaping_path(self):
        for text in ("plain", "Wé", 'q"', "a\\b", "\x7f", "tab\there", ""):
            self.assertEqual(wire._string(text), '"' + text.translate(wire._ESCAPES) + '"')
        self.assertEqual(wire.json_bytes(("__main__", "f")), b'["__main__","f"]')

    def _sent_by(self, report, *args):
        packets = []
        saved = transport.send_encoded
        transport.send_encoded = lambda data, count=1: packets.append(data)
        try:
            report(*args)
        finally:
            transport.send_encoded = saved
        return [json.loads(line) for packet in packets for line in packet.split(b"\n")]

    def test_pickle_event_templates_match_the_generic_encoder(self):
        odd = type('Q"é\x01', (), {})()
        data = b"\x80\x04\x95" + bytes(range(256))
        noted = notes.Notes()
        noted.globals.append(("__main__", "f"))
        noted.refs.append("rs:/tmp/x#1")
        held = b'{"kind":"pickle.find_class","t":5,"pid":7,"module":"__main__","name":"f"}'
        noted.held.append(held)
        dump = self._sent_by(pickles._report_dump, 11, odd, data, ValueError("bad\n"), None, noted)
        self.assertEqual(dump[0], json.loads(held), "held find_class events go first")
        generic = transport.make_event("pickle.dump", {"what": "other", "type": 'Q"é\x01'}, 11)
        generic.update(payload.describe(data))
        generic.update({"error": "ValueError: bad\n", "globals": [["__main__", "f"]],
                        "pickle_refs": ["rs:/tmp/x#1"]})
        self.assertEqual(dump[1], json.loads(wire.encode(generic)))
        self.assertEqual(noted.held, [], "held events are sent once")
        load = self._sent_by(pickles.report_load, 12, data, (1, 2), None, None, None, 99)
        generic = transport.make_event("pickle.load", {"what": "other", "type": "tuple", "from": 99}, 12)
        generic.update(payload.describe(data))
        self.assertEqual(load, [json.loads(wire.encode(generic))])
        failed = self._sent_by(pickles.report_load, 13, b"", None, EOFError("x"), None, None)
        generic = transport.make_event("pickle.load", {"what": "other", "error": "EOFError: x"}, 13)
        generic.update(payload.describe(b""))
        self.assertEqual(failed, [json.loads(wire.encode(generic))])

    def test_redaction_keeps_length_and_straddles_the_cap(self):
        key = bytes(range(100, 132))
        data = b"x" * (payload.CAP - 10) + key + b"tail"
        fields = payload.describe(data, (key,))
        captured = base64.b64decode(fields["bytes"])
        self.assertEqual(fields["size"], len(data))
        self.assertTrue(fields["truncated"] and fields["redacted"])
        self.assertEqual(len(captured), payload.CAP)
        self.assertTrue(captured.endswith(b"<authkey-r"))
        self.assertEqual(payload.marker(8), b"<authkey")
        self.assertEqual(payload.marker(20), b"<authkey-redacted>**")


class PrivateNameFallbacks(unittest.TestCase):
    """Every private CPython name the probe relies on may vanish: the probe
    must then leave the program alone (here, with no tracer connected, the
    error report is counted as dropped)."""

    def test_wrap_skips_a_missing_function(self):
        class Owner:
            pass
        self.assertFalse(patching.wrap(Owner, "_launch", lambda original: original))
        self.assertFalse(hasattr(Owner, "_launch"))

    def test_default_method_falls_back_when_the_attribute_is_gone(self):
        class DefaultContext:  # a future CPython without _default_context
            _actual_context = None
        context_module = type(sys)("fake_context")
        context_module._default_context = DefaultContext()
        os.environ["MPSCOPE_METHOD"] = "spawn"
        try:
            startmethod._apply_default(context_module)
        finally:
            del os.environ["MPSCOPE_METHOD"]
        self.assertFalse(hasattr(context_module._default_context, "_default_context"))
        self.assertIsNone(context_module._default_context._actual_context)


if __name__ == "__main__":
    unittest.main()
