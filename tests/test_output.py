"""The renderers: aCLI's borderless tables, protobuf-text records, task lines
and the JSON envelope, exactly."""

import io
import json
import time

import pytest

from acli.output.results import Record, Records, Table, Task, Tasks
from acli.output.sink import FLUSH_EVERY, Sink
from acli.output.text import render, table_text, tasks_text


def text(result) -> str:
    return "\n".join("".join(chunk for chunk, _ in line) for line in render(result)) + "\n"


def test_table_columns_two_spaces_apart_no_trailing_blanks():
    table = Table(["VM name", "VM UUID", "Subnet"], ["name", "uuid", "subnet"],
                  [["web01", "u-1", ""], ["a", "u-22", "10.0.0.0/24"]])
    assert text(table) == ("VM name  VM UUID  Subnet\n"
                           "web01    u-1\n"
                           "a        u-22     10.0.0.0/24\n")


def test_record_sorted_keys_nested_blocks_repeated_fields_and_quoting():
    record = Record("fooVM", {"uuid": "u1", "config": {
        "name": "fooVM", "memory_mb": 2048, "uefi": False,
        "nic_list": [{"vlan_mode": "kTrunked", "trunked_networks": [10, 20]}],
        "description": 'say "hi"'}}, "u1")
    assert text(record) == (
        "fooVM {\n"
        "  config {\n"
        '    description: "say \\"hi\\""\n'
        "    memory_mb: 2048\n"
        '    name: "fooVM"\n'
        "    nic_list {\n"
        "      trunked_networks: 10\n"
        "      trunked_networks: 20\n"
        '      vlan_mode: "kTrunked"\n'
        "    }\n"
        "    uefi: False\n"
        "  }\n"
        '  uuid: "u1"\n'
        "}\n")


def test_task_lines_show_only_the_completed():
    tasks = Tasks([Task("web1", uuid="u1"), Task("web2", error="VM is off")])
    assert text(tasks) == "web1: complete\n"
    assert tasks.failure_summary() == "web2: VM is off"


def test_task_text_for_pipes_is_the_task_lines_joined():
    tasks = Tasks([Task("web1"), Task("web2", error="VM is off"), Task("web 3", uuid="u")])
    joined = "".join("".join(chunk for chunk, _ in line) + "\n" for line in render(tasks))
    assert tasks_text(tasks) == joined == "web1: complete\nweb 3: complete\n"
    out = io.StringIO()
    Sink(out=out, err=io.StringIO(), colour=False).result("text", tasks, 0, None)
    assert out.getvalue() == joined


@pytest.mark.parametrize("table", [
    Table(["VM name", "VM UUID", "Subnet"], ["n", "u", "s"],
          [["web01", "u-1", ""], ["a", "u-22", "10.0.0.0/24"], [None, 7, True]]),
    Table(["VM name", "VM UUID"], ["n", "u"], []),
    Table(["Name"], ["n"], [["a {b}"], ["longer than the header"]]),
])
def test_table_text_for_pipes_is_the_table_lines_joined(table):
    joined = "".join("".join(chunk for chunk, _ in line) + "\n" for line in render(table))
    assert table_text(table) == joined
    out = io.StringIO()
    Sink(out=out, err=io.StringIO(), colour=False).result("text", table, 0, None)
    assert out.getvalue() == joined


def test_json_envelope_success_and_failure():
    out = io.StringIO()
    sink = Sink(out=out, err=io.StringIO(), colour=False)
    sink.result("json", Records([Record("a", {"x": 1}, "u1")]), 0, None)
    sink.result("json", None, 1, "VM not found: b")
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first == {"data": {"u1": {"x": 1}}, "error": None, "status": 0}
    assert second == {"data": None, "error": "VM not found: b", "status": 1}


def test_colour_leaves_unstyled_lines_as_plain_text():
    """A listing's rows carry no style: on a terminal they are written as
    they are (rich costs ~70 us a line: 0.7 s for 10,000 VMs), the header
    still in colour."""
    out = io.StringIO()
    table = Table(["VM name", "VM UUID"], ["n", "u"], [["web1", "u-1"], ["web22", "u-2"]])
    Sink(out=out, colour=True).result("text", table, 0, None)
    header, *rows = out.getvalue().split("\n")
    assert "\x1b[" in header and rows == ["web1     u-1", "web22    u-2", ""]


def test_colour_only_when_asked_and_layout_unchanged(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = io.StringIO()
    Sink(out=out, colour=True).lines(render(Table(["A", "B"], ["a", "b"], [["x", "y"]])))
    coloured = out.getvalue()
    assert "\x1b[" in coloured
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == "A  B\nx  y\n"


class _Wire(io.RawIOBase):
    """The far side of a pipe: every system-call write, in order, tagged by stream."""

    def __init__(self, log, name):
        self.log, self.name = log, name

    def writable(self):
        return True

    def write(self, data):
        self.log.append((self.name, bytes(data).decode()))
        return len(data)


def _piped_sink(log):
    # write_through=True is what PYTHONUNBUFFERED gives sys.stdout.
    out = io.TextIOWrapper(io.BufferedWriter(_Wire(log, "out")), write_through=True)
    err = io.TextIOWrapper(io.BufferedWriter(_Wire(log, "err")), write_through=True)
    return Sink(out=out, err=err)


def test_a_pipe_gets_a_long_batch_in_a_few_writes_not_one_per_line():
    log = []
    sink = _piped_sink(log)
    start = time.monotonic()
    for i in range(1000):
        sink.result("text", Tasks([Task(f"vm{i}", uuid="u")]), 0, None)
    elapsed = time.monotonic() - start
    assert len(log) <= 1 + elapsed // FLUSH_EVERY + 1  # the first line, then every 0.2 s
    sink.flush()
    text = "".join(chunk for _, chunk in log)
    assert text.splitlines() == [f"vm{i}: complete" for i in range(1000)]


def test_the_first_line_goes_out_at_once_and_errors_keep_their_place():
    log = []
    sink = _piped_sink(log)
    sink.result("text", Tasks([Task("a", uuid="u")]), 0, None)
    assert log == [("out", "a: complete\n")]
    sink.result("text", Tasks([Task("b", uuid="u")]), 0, None)
    sink.error("x:2: VM not found: c")
    assert log[1:] == [("out", "b: complete\n"), ("err", "x:2: VM not found: c\n")]


def test_notes_go_to_stderr_in_text_and_beside_data_in_json():
    table = Table(["Image name"], ["name"], [["i1"]], notes=["the upload of i2 failed"])
    out, err = io.StringIO(), io.StringIO()
    Sink(out=out, err=err, colour=False).result("text", table, 0, None)
    assert out.getvalue() == "Image name\ni1\n"
    assert err.getvalue() == "note: the upload of i2 failed\n"
    out = io.StringIO()
    Sink(out=out, err=io.StringIO(), colour=False).result("json", table, 0, None)
    assert json.loads(out.getvalue()) == {"data": [{"name": "i1"}], "error": None, "status": 0,
                                          "notes": ["the upload of i2 failed"]}
    out = io.StringIO()
    Sink(out=out, err=io.StringIO(), colour=False).result("json", Table(["N"], ["n"]), 0, None)
    assert "notes" not in json.loads(out.getvalue())
