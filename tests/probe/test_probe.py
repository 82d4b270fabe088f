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
from mpscope_probe import (fastpath, fdlabels, imports, notes, patching, payload,  # noqa: E402
                           pickles, spawnv, startmethod, tally, transport, wire)

PROGRAMS = os.path.join(HERE, "programs")
SIBLING = os.path.join(HERE, "..", "programs", "sibling", "example.py")
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


    def test_warnings_on_show_nothing_of_the_probe(self):
        for method in ("fork", "spawn"):
            untraced = receiver.run_untraced([program("warnings_on.py")])
            run = self.trace([program("warnings_on.py")], method)
            self.assertNotIn("ResourceWarning", run.stderr)
            self.assertEqual(run.stderr, untraced.stderr.decode("utf-8", "replace"))


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


    def test_a_copied_probe_is_compiled_once_not_in_every_interpreter(self):
        # A copy (or `make install`) gives the sources new times while the
        # bytecode records the old ones, and is itself newer than them.
        folder = tempfile.mkdtemp(prefix="mpscope-probe-copied-")
        self.addCleanup(shutil.rmtree, folder, True)
        probe = os.path.join(folder, "probe")
        shutil.copytree(receiver.PROBE_DIR, probe)
        package = os.path.join(probe, "mpscope_probe")
        cache = os.path.join(package, "__pycache__")
        for name in os.listdir(package):
            if name.endswith(".py"):
                os.utime(os.path.join(package, name), (2e9, 2e9))
        for name in os.listdir(cache):
            os.utime(os.path.join(cache, name), (2e9 + 10, 2e9 + 10))
        with receiver.Receiver() as sink:
            env = receiver.probe_env(sink.path)
            env.update({"PYTHONPATH": probe, "PYTHONDONTWRITEBYTECODE": "1"})
            receiver.subprocess.run([sys.executable, "-c", "import multiprocessing"], env=env,
                                    cwd=folder, timeout=60, check=True)
            sink.wait_quiet()
        stale = []
        for name in sorted(os.listdir(package)):
            if not name.endswith(".py"):
                continue
            with open(os.path.join(cache, "%s.%s.pyc" % (name[:-3],
                                                         sys.implementation.cache_tag)), "rb") as f:
                source_time = int.from_bytes(f.read(16)[8:12], "little")  # PEP 552 header
            if source_time != 2000000000:
                stale.append(name)
        self.assertEqual(stale, [], "bytecode of other sources: compiled again at every start")


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


def by_time(events):
    return sorted(events, key=lambda event: event["t"])


class Imports(ProbeTestCase):
    """import events for the program's own modules, with `by`."""

    def imports_of(self, run, pid):
        return [(e["module"], e.get("by")) for e in by_time(run.events("import", pid=pid))]

    def test_each_own_import_names_the_module_that_caused_it(self):
        main = program("imports/main.py")
        untraced = receiver.run_untraced([main, "spawn"])
        run = self.trace([main, "spawn"])
        self.assertEqual(run.stdout, out(untraced))
        self.assertEqual(run.stdout.splitlines()[0], "unused found: True False")
        expected = [("nested", "__main__"), ("leaf", "nested"), ("pkg", "__main__"),
                    ("pkg.sub", "__main__"), ("dynamic", "__main__")]
        self.assertEqual(self.imports_of(run, run.main_pid), expected)
        child = run.pids_with_role("child")[0]
        self.assertEqual(self.imports_of(run, child),
                         [("__mp_main__", "multiprocessing.spawn"), ("nested", "__mp_main__"),
                          ("leaf", "nested"), ("pkg", "__mp_main__"),
                          ("pkg.sub", "__mp_main__"), ("late", "__mp_main__")])
        for event in run.events("import"):
            self.assertTrue(event["file"].startswith(program("imports") + os.sep), event)
        sub = run.events("import", pid=run.main_pid, module="pkg.sub")[0]
        self.assertEqual(sub["file"], program("imports/pkg/sub.py"))

    def test_fork_child_imports_only_what_it_did_not_inherit(self):
        run = self.trace([program("imports/main.py"), "fork"])
        child = run.pids_with_role("child")[0]
        self.assertEqual(self.imports_of(run, child), [("late", "__main__")])

    def test_sibling_module_is_imported_by_the_reimported_main(self):
        for method in ("spawn", "forkserver"):
            run = self.trace([SIBLING], method)
            self.assertEqual(self.imports_of(run, run.main_pid), [("helper", "__main__")])
            children = run.pids_with_role("child")
            self.assertEqual(len(children), 2)
            for child in children:
                self.assertEqual(self.imports_of(run, child),
                                 [("__mp_main__", "multiprocessing.spawn"),
                                  ("helper", "__mp_main__")], method)
            # The forkserver is not told the main path (3.8-3.13): it
            # imports nothing of the program.
            for server in run.pids_with_role("forkserver"):
                self.assertEqual(self.imports_of(run, server), [])

    def test_installed_and_standard_modules_are_not_reported(self):
        folder = tempfile.mkdtemp(prefix="mpscope-probe-site-")
        self.addCleanup(shutil.rmtree, folder, True)
        for part in ("site-packages", "dist-packages"):
            os.makedirs(os.path.join(folder, part))
            with open(os.path.join(folder, part, "installed_%s.py" % part[:4]), "w") as f:
                f.write("VALUE = 1\n")
        with open(os.path.join(folder, "own.py"), "w") as f:
            f.write("import installed_site, installed_dist, json, decimal\n")
        env = {"PYTHONPATH": os.pathsep.join(os.path.join(folder, p)
                                             for p in ("site-packages", "dist-packages"))}
        run = self.trace([os.path.join(folder, "own.py")], extra_env=env)
        self.assertEqual(run.events("import"), [])

    def test_origins(self):
        self.assertTrue(imports.is_own_origin("/home/me/project/helper.py"))
        self.assertFalse(imports.is_own_origin(os.__file__))
        self.assertFalse(imports.is_own_origin(imports.__file__))
        self.assertFalse(imports.is_own_origin("/usr/lib/python3/dist-packages/yaml/__init__.py"))
        self.assertFalse(imports.is_own_origin("/venv/lib/python3.11/site-packages/six.py"))
        self.assertFalse(imports.is_own_origin("relative/helper.py"))
        self.assertFalse(imports.is_own_origin(None))


class Launches(ProbeTestCase):
    def test_each_child_is_launched_with_its_own_method(self):
        mixed = os.path.join(HERE, "..", "programs", "mixed_methods.py")
        run = self.trace([mixed], "fork")
        self.assertEqual(run.stdout, "spawn child ran\ndefault child ran\n")
        launches = by_time(run.events("probe.launch", pid=run.main_pid))
        self.assertEqual([e["method"] for e in launches], ["spawn", "fork"])
        children = run.pids_with_role("child")
        self.assertEqual(sorted(e["child"] for e in launches), sorted(children))
        self.assertEqual([(e["method"], e["explicit"]) for e in by_time(run.events("start_method"))],
                         [("spawn", True), ("fork", False)])

    def test_a_failed_launch_names_no_child(self):
        run = self.trace([program("lambda_target.py"), "default"], "spawn")
        self.assertEqual(run.events("probe.launch"), [])


class Labels(ProbeTestCase):
    """fds.label: each process labels the multiprocessing fds it holds."""

    def labels(self, run, pid, what):
        return [e for e in run.events("fds.label", pid=pid, what=what)]

    def one_target(self, run, pid, what):
        found = self.labels(run, pid, what)
        self.assertEqual(len(found), 1, (pid, what, found))
        self.assertRegex(found[0]["target"], r"^(pipe|socket):\[\d+\]$")
        return found[0]

    def test_labels_are_true_of_the_fd_and_leave_the_program_alone(self):
        for method in ("fork", "spawn", "forkserver"):
            untraced = receiver.run_untraced([SIBLING])
            run = self.trace([SIBLING], method)
            self.assertEqual(run.stdout, out(untraced), method)

    def test_fork_sentinels_in_parent_and_child(self):
        run = self.trace([SIBLING], "fork")
        for child in run.pids_with_role("child"):
            parent_end = [e for e in self.labels(run, run.main_pid, "sentinel") if e["peer"] == child]
            self.assertEqual(len(parent_end), 1)
            child_end = self.one_target(run, child, "sentinel")
            self.assertEqual(child_end["target"], parent_end[0]["target"])
            self.assertEqual(child_end["peer"], run.main_pid)
            watched = self.one_target(run, child, "parent_sentinel")
            mine = [e for e in self.labels(run, run.main_pid, "parent_sentinel")
                    if e["target"] == watched["target"]]
            self.assertEqual([e["peer"] for e in mine], [child])
        self.assertEqual(run.events("fds.label", what="startup_data"), [])

    def test_spawn_start_up_pipe_sentinel_and_tracker_in_parent_and_child(self):
        run = self.trace([SIBLING], "spawn")
        tracker = run.pids_with_role("resource_tracker")[0]
        tracker_pipe = self.one_target(run, run.main_pid, "resource_tracker")
        self.assertEqual(tracker_pipe["peer"], tracker)
        self.assertEqual(self.one_target(run, tracker, "resource_tracker")["target"],
                         tracker_pipe["target"])
        for child in run.pids_with_role("child"):
            for what in ("startup_data", "sentinel"):
                parent_end = [e for e in self.labels(run, run.main_pid, what) if e["peer"] == child]
                self.assertEqual(len(parent_end), 1, what)
                self.assertEqual(self.one_target(run, child, what)["target"],
                                 parent_end[0]["target"], what)
            data = self.one_target(run, child, "startup_data")
            self.assertEqual(data["peer"], run.main_pid)
            # spawn_main's parent_sentinel is a dup of pipe_handle.
            self.assertEqual(self.one_target(run, child, "parent_sentinel")["target"], data["target"])
            spawn = run.events("probe.spawn", child=child)[0]
            self.assertIn("pipe_handle=%d)" % data["fd"], " ".join(spawn["argv"]))
            self.assertEqual(self.one_target(run, child, "resource_tracker")["target"],
                             tracker_pipe["target"])

    def test_forkserver_listener_alive_pipe_and_clients(self):
        run = self.trace([SIBLING], "forkserver")
        server = run.pids_with_role("forkserver")[0]
        self.one_target(run, server, "forkserver_listener")
        alive = self.one_target(run, server, "forkserver_alive")
        self.assertEqual(alive["peer"], run.main_pid)
        client_alive = self.one_target(run, run.main_pid, "forkserver_alive")
        self.assertEqual((client_alive["target"], client_alive["peer"]), (alive["target"], server))
        client_ends = self.labels(run, run.main_pid, "forkserver_client")
        server_ends = self.labels(run, server, "forkserver_client")
        self.assertEqual(len(client_ends), 2)
        self.assertEqual(len(server_ends), 2)
        self.assertTrue(all(e["peer"] == server for e in client_ends))
        self.assertTrue(all(e["peer"] == run.main_pid for e in server_ends))
        # The server writes the child's pid and exit status into the sentinel.
        held = {e["target"] for e in self.labels(run, server, "sentinel")}
        watched = {e["target"] for e in self.labels(run, run.main_pid, "sentinel")}
        self.assertEqual(len(held), 2)
        self.assertEqual(held, watched)
        for child in run.pids_with_role("child"):
            data = self.one_target(run, child, "startup_data")
            parent_end = [e for e in self.labels(run, run.main_pid, "startup_data")
                          if e["peer"] == child]
            self.assertEqual([e["target"] for e in parent_end], [data["target"]])
            self.assertEqual(self.one_target(run, child, "forkserver_alive")["target"],
                             alive["target"])
            self.assertEqual(self.one_target(run, child, "parent_sentinel")["target"],
                             data["target"])
            # The server, not the child, holds the sentinel's write end.
            self.assertEqual(self.labels(run, child, "sentinel"), [])

    def test_pipe_ends_and_a_rebuilt_connection(self):
        run = self.trace([program("pass_connection.py")], "spawn")
        made = self.labels(run, run.main_pid, "connection")
        # The Queue's pipe and the program's Pipe: two ends each.
        self.assertEqual(len(made), 4)
        child = run.pids_with_role("child")[0]
        rebuilt = self.labels(run, child, "connection")
        # The Queue (an argument) carries both ends of its pipe; then the
        # writer put on it.
        self.assertEqual(len(rebuilt), 3)
        passed = run.events("fds.pass", via="resource_sharer")[0]["fds"][0]["target"]
        self.assertIn(passed, [e["target"] for e in made])
        self.assertIn(passed, [e["target"] for e in rebuilt])

    def test_the_spawn_childs_sentinel_variable_stays_hidden(self):
        run = self.trace([program("child_environ.py")])
        self.assertTrue(all(line.endswith(" None") for line in run.stdout.splitlines()), run.stdout)
        child = run.pids_with_role("child")[0]
        self.one_target(run, child, "sentinel")


@unittest.skipUnless(os.environ.get("MPSCOPE_PROBE_LOAD_TEST") == "1",
                     "set MPSCOPE_PROBE_LOAD_TEST=1 for the 40,000-pickle load test")
class Load(ProbeTestCase):
    def test_forty_thousand_pickles_lose_nothing(self):
        tasks = 20000
        run = self.trace([program("pool_map.py"), str(tasks)],
                         extra_env={"MPSCOPE_KEEP_PAYLOADS": "all"})
        self.assertEqual(run.stdout, "sum %d\n" % sum(x * x for x in range(tasks)))
        for kind in ("pickle.dump", "pickle.load"):
            for what in ("pool_task", "pool_result"):
                self.assertEqual(len(run.events(kind, what=what)), tasks, (kind, what))
        # Each task looks up mapstar and the function; those events ride in
        # the packet of their load.
        self.assertEqual(len(run.events("pickle.find_class")), 2 * tasks)
        self.assertLess(run.receiver.packet_count, len(run.receiver.messages) - 2 * tasks + 100)


class Counted(ProbeTestCase):
    """Past the first kept ones: what is sent plus what is counted is every
    pickle, failures are always sent, and a kept load keeps its lookups.
    With the C fast path, or without it under MPSCOPE_PURE_PROBE=1."""

    def test_sent_and_counted_add_up_to_every_pickle(self):
        run = self.trace([program("counted.py"), "50"], extra_env={"MPSCOPE_KEEP_PAYLOADS": "3"})
        truth = {}
        for line in run.stdout.splitlines():
            if line.startswith(("dump failed", "load failed")):
                continue
            what, op, count, size = line.split()
            truth[what, op] = [int(count), int(size)]
        self.assertEqual(len(truth), 8, run.stdout)
        for (what, op), (count, size) in truth.items():
            sent = [e for e in run.events("pickle." + op, what=what) if "error" not in e]
            self.assertEqual(len(sent), 3, (what, op))
            counted = run.receiver.counted.get((what, op), [0, 0])
            self.assertEqual([len(sent) + counted[0], sum(e["size"] for e in sent) + counted[1]],
                             [count, size], (what, op))

    def test_failures_are_sent_in_full_and_kept_loads_keep_their_lookups(self):
        run = self.trace([program("counted.py"), "50"], extra_env={"MPSCOPE_KEEP_PAYLOADS": "3"})
        self.assertIn("dump failed: AttributeError", run.stdout)
        self.assertIn("load failed: UnpicklingError", run.stdout)
        failed_dumps = [e for e in run.events("pickle.dump") if "error" in e]
        self.assertEqual([(e["what"], e["error"].split(":")[0]) for e in failed_dumps],
                         [("pool_task", "AttributeError")])
        failed_loads = [e for e in run.events("pickle.load") if "error" in e]
        self.assertEqual([e["error"].split(":")[0] for e in failed_loads], ["UnpicklingError"])
        kept_tasks = run.events("pickle.load", what="pool_task")
        self.assertEqual([e.get("globals") for e in kept_tasks],
                         [[["multiprocessing.pool", "mapstar"], ["__main__", "square"]]] * 3)
        # 2 lookups for each of the 3 kept task loads, none for the counted
        # ones, and the program's own pickle.loads outside any probed load.
        lookups = run.events("pickle.find_class")
        self.assertEqual(len(lookups), 7)
        self.assertEqual((lookups[-1]["module"], lookups[-1]["name"]), ("__main__", "square"))


class Tally(unittest.TestCase):
    """tally.py alone: which pickles are sent, and the file the rest are
    counted in, read back here as the tracer reads it (src/tracer/tally.c).
    With the C fast path when this run has it (tests/e2e/probe.sh runs the
    file both ways), else tally.py's own counters."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="mpscope-tally-")
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        saved = (tally.KEEP, transport._path, transport.send)
        self.addCleanup(self._restore, saved)
        fastpath.load()
        tally.set_keep(2)
        transport._path = os.path.join(self.folder, "probe.sock")
        self.sent = []
        transport.send = self.sent.append
        tally.forget_after_fork()

    def _restore(self, saved):
        tally.set_keep(saved[0])
        transport._path, transport.send = saved[1:]
        tally.forget_after_fork()

    def words(self, name):
        import array
        words = array.array("Q")
        with open(os.path.join(self.folder, name), "rb") as f:
            words.frombytes(f.read())
        return words

    def test_the_first_of_each_kind_are_sent_then_counted_in_the_file(self):
        task = tally.slot("pool_task", tally.DUMP)
        result = tally.slot("pool_result", tally.LOAD)
        self.assertEqual([tally.take(task) for _ in range(2)], [False, False])
        self.assertFalse(tally.take(result), "each kind has its own first ones")
        for size in (10, 20, 30):
            self.assertTrue(tally.take(task))
            tally.add(task, size)
        name = "tally-%d" % os.getpid()
        self.assertEqual(self.sent, [transport.make_event("probe.tally", {"file": name},
                                                          self.sent[0]["t"])])
        words = self.words(name)
        self.assertEqual(len(words) * 8, tally.FILE_SIZE)
        self.assertEqual(list(words[:4]), [tally.MAGIC, tally.VERSION, os.getpid(), 1])
        self.assertEqual(words[tally.HEADER_WORDS + 2 * task:tally.HEADER_WORDS + 2 * task + 2],
                         array_of([3, 60]))
        self.assertEqual(tally.slot("no such purpose", tally.LOAD), tally.slot("other", tally.LOAD))

    def test_each_thread_counts_in_its_own_row(self):
        import threading
        index = tally.slot("queue_item", tally.LOAD)
        tally.set_keep(0)

        def count(times):
            self.assertTrue(tally.take(index))
            for _ in range(times):
                tally.add(index, 1)
        worker = threading.Thread(target=count, args=(5,))
        worker.start()
        worker.join()
        count(7)
        words = self.words("tally-%d" % os.getpid())
        self.assertEqual(words[3], 2, "two rows in use")
        row_words = 2 * tally.SLOTS
        counts = [words[tally.HEADER_WORDS + r * row_words + 2 * index] for r in range(2)]
        self.assertEqual(sorted(counts), [5, 7])

    def test_a_fork_child_counts_in_a_file_of_its_own(self):
        index = tally.slot("pool_task", tally.DUMP)
        tally.set_keep(0)
        self.assertTrue(tally.take(index))
        tally.add(index, 4)
        child = os.fork()
        if child == 0:
            code = 1
            try:
                tally.forget_after_fork()
                if tally.take(index):
                    tally.add(index, 9)
                    code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(child, 0)
        self.assertEqual(status, 0)
        parent = self.words("tally-%d" % os.getpid())
        child_words = self.words("tally-%d" % child)
        at = tally.HEADER_WORDS + 2 * index
        self.assertEqual((parent[at], parent[at + 1]), (1, 4), "the child's count is not here")
        self.assertEqual((child_words[2], child_words[at], child_words[at + 1]), (child, 1, 9))

    def test_without_a_folder_every_pickle_is_sent(self):
        transport._path = os.path.join(self.folder, "gone", "probe.sock")
        tally.set_keep(0)
        index = tally.slot("pool_task", tally.DUMP)
        self.assertEqual([tally.take(index) for _ in range(3)], [False] * 3)

    def test_all_keeps_every_one(self):
        tally.set_keep(-1)
        index = tally.slot("pool_task", tally.DUMP)
        self.assertFalse(any(tally.take(index) for _ in range(100)))

    def test_the_fast_path_is_used_unless_told_not_to(self):
        pure = bool(os.environ.get("MPSCOPE_PURE_PROBE"))
        self.assertEqual(fastpath.load() is None, pure)
        if not pure:
            self.assertIs(tally.take, fastpath.load().take)


@unittest.skipIf(os.environ.get("MPSCOPE_PURE_PROBE"), "the pure-Python run")
class FastPath(unittest.TestCase):
    """_fastpath.c's edges, called directly: whatever it is handed, the
    program's call goes on as it would untraced."""

    def setUp(self):
        self.fast = fastpath.load()
        if self.fast is None:
            self.skipTest("the fast path is not built (make)")

    def test_the_audit_hook_ignores_what_is_not_a_lookup_and_never_raises(self):
        hook = self.fast.find_class_hook
        for args in [("open", ("f", "r", 0)), ("pickle.find_class", ()), (1, 2),
                     ("pickle.find_class", None)]:
            self.assertIsNone(hook(*args), args)
        self.assertIsNone(hook())

    def test_a_call_it_does_not_know_goes_to_the_fallback(self):
        calls = []

        def fallback(*args, **kwargs):
            calls.append((args, kwargs))
            return "fallback"

        def original(*args, **kwargs):
            return "original"
        dumps = self.fast.Wrapper(original, fallback, print)
        loads = self.fast.Wrapper(original, fallback, print, print)
        self.assertEqual(dumps(object, obj=(1, 2, 3)), "fallback", "obj by keyword")
        self.assertEqual(dumps(object, "not a Pool task"), "fallback")
        self.assertEqual(loads(data=b"x"), "fallback")
        self.assertEqual(len(calls), 3)

    def test_a_counted_pickle_that_fails_is_reported_and_raised_unchanged(self):
        folder = tempfile.mkdtemp(prefix="mpscope-fast-")
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        saved = (tally.KEEP, transport._path, transport.send)
        self.addCleanup(lambda: (tally.set_keep(saved[0]), tally.forget_after_fork()))
        self.addCleanup(setattr, transport, "_path", saved[1])
        self.addCleanup(setattr, transport, "send", saved[2])
        transport._path, transport.send = os.path.join(folder, "probe.sock"), lambda message: None
        tally.forget_after_fork()
        tally.set_keep(0)
        self.assertTrue(tally.take(tally.slot("other", tally.DUMP)), "the tally file is made")
        reported = []

        def failing(cls, obj):
            raise obj[4]["raise"]
        dumps = self.fast.Wrapper(failing, None, lambda *args: reported.append(args))
        with self.assertRaises(ValueError):
            dumps(object, (0, 1, None, (), {"raise": ValueError("no")}))
        self.assertEqual([(type(r[2]).__name__, r[3]) for r in reported],
                         [("ValueError", tally.WHATS.index("pool_task"))])
        with self.assertRaises(KeyboardInterrupt):
            dumps(object, (0, 1, None, (), {"raise": KeyboardInterrupt()}))
        self.assertEqual(len(reported), 1, "only an Exception is reported, as in Python")


def array_of(values):
    import array
    return array.array("Q", values)


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
        noted.lookups.append((5, "__main__", "f"))
        noted.refs.append("rs:/tmp/x#1")
        self.addCleanup(setattr, transport, "pid", transport.pid)
        transport.pid = 7
        dump = self._sent_by(pickles._report_dump, 11, odd, data, ValueError("bad\n"), None, noted)
        held = {"kind": "pickle.find_class", "t": 5, "pid": 7, "module": "__main__", "name": "f"}
        self.assertEqual(dump[0], held, "the find_class events noted go first")
        generic = transport.make_event("pickle.dump", {"what": "other", "type": 'Q"é\x01'}, 11)
        generic.update(payload.describe(data))
        generic.update({"error": "ValueError: bad\n", "globals": [["__main__", "f"]],
                        "pickle_refs": ["rs:/tmp/x#1"]})
        self.assertEqual(dump[1], json.loads(wire.encode(generic)))
        self.assertEqual(noted.lookups, [], "noted lookups are sent once")
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

    def test_a_spawn_childs_sentinel_is_found_only_in_popen_spawn_posix_layout(self):
        argv = ["python", "-c", "from multiprocessing.spawn import spawn_main; "
                "spawn_main(tracker_fd=4, pipe_handle=6)", "--multiprocessing-fork"]
        self.assertEqual(spawnv._child_sentinel(argv, [9, 4, 6, 5]), 5)
        self.assertIsNone(spawnv._child_sentinel(argv, [4, 5, 6]))
        self.assertIsNone(spawnv._child_sentinel(argv, (61, 7)))
        self.assertIsNone(spawnv._child_sentinel(["python", "-c", "main(3)"], [2, 3]))
        self.assertIsNone(spawnv._child_sentinel(argv, iter([6, 5])))

    def test_labels_name_the_object_as_proc_does(self):
        r, w = os.pipe()
        self.addCleanup(os.close, r)
        self.addCleanup(os.close, w)
        self.assertEqual(fdlabels.target_of(r), os.readlink("/proc/self/fd/%d" % r))
        self.assertEqual(fdlabels.target_of(w), fdlabels.target_of(r))
        a, b = receiver.socket.socketpair()
        self.addCleanup(a.close)
        self.addCleanup(b.close)
        self.assertEqual(fdlabels.target_of(a.fileno()), os.readlink("/proc/self/fd/%d" % a.fileno()))
        os.close(os.dup2(r, 900))
        self.assertIsNone(fdlabels.target_of(900))

    def test_the_finder_returns_what_the_finders_behind_it_found(self):
        class Odd:  # a spec-like object a third-party finder might return
            origin = "/elsewhere/odd.py"

        class Behind:
            def __init__(self, result):
                self.result = result

            def find_spec(self, fullname, path=None, target=None):
                return self.result

        finder = imports.ReportOwnImports()
        saved = sys.meta_path[:]
        odd = Odd()
        try:
            sys.meta_path[:] = [finder, Behind(None), Behind(odd)]
            self.assertIs(finder.find_spec("mpscope_test_odd"), odd)
            sys.meta_path[:] = [finder, Behind(None)]
            self.assertIsNone(finder.find_spec("mpscope_test_missing"))
            sys.meta_path[:] = [finder, object(), Behind(odd)]  # a finder without find_spec
            self.assertIsNone(finder.find_spec("mpscope_test_odd"))
        finally:
            sys.meta_path[:] = saved

    def test_importer_skips_the_import_system_and_the_probe(self):
        frame = type("Frame", (), {})
        def make(name, back):
            f = frame()
            f.f_globals, f.f_back = {"__name__": name}, back
            return f
        top = make("helper", None)
        chain = make("importlib._bootstrap", make("importlib", make("mpscope_probe.imports", top)))
        self.assertEqual(imports.importer(chain), "helper")
        self.assertIsNone(imports.importer(make("_frozen_importlib", None)))
        self.assertEqual(imports.importer(make("importlib_extra", None)), "importlib_extra")


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
