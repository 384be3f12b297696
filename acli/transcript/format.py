"""The transcript file format.

    # commentary
    <acropolis> vm.create web1 memory=64M
    web1: complete
    <acropolis> vm.get missing
    Error: Unknown name: missing
    [exit 1]

A `<acropolis> ` line is input; the lines under it, up to the next input or
`#` line, are its expected output (stdout and stderr as they interleave); a
failing command ends with `[exit N]`. Blank lines at the end of an output
block separate blocks and are not output.

A `$ ` line is a shell command line instead (run by /bin/sh, where `acli`
is the acli under test on the same host), for what only the `acli` command
shows: how argv words become a line, answers piped to a question:

    $ echo yes | acli vm.delete "Prism Central"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PROMPT = "<acropolis> "
SHELL_PROMPT = "$ "
_EXIT_RE = re.compile(r"\[exit (\d+)\]")


@dataclass
class Step:
    preamble: list[str] = field(default_factory=list)  # comments and blanks before the input
    command: str | None = None
    output: list[str] = field(default_factory=list)
    status: int = 0
    shell: bool = False  # a `$ ` line: a shell command line, not a line of aCLI

    @property
    def prompt(self) -> str:
        return SHELL_PROMPT if self.shell else PROMPT


def parse(text: str) -> list[Step]:
    steps: list[Step] = []
    current = Step()
    for line in text.splitlines():
        prompt = _prompt_of(line)
        if prompt is not None:
            if current.command is not None:
                steps.append(_close(current))
                current = Step(preamble=_trailing_blanks(steps[-1]))
            current.command = line[len(prompt):]
            current.shell = prompt == SHELL_PROMPT
        elif line.startswith("#") or current.command is None:
            if current.command is not None:
                steps.append(_close(current))
                current = Step(preamble=_trailing_blanks(steps[-1]))
            current.preamble.append(line)
        else:
            current.output.append(line)
    if current.command is not None:
        steps.append(_close(current))
    elif current.preamble:
        steps.append(current)
    return steps


def _prompt_of(line: str) -> str | None:
    for prompt in (PROMPT, SHELL_PROMPT):
        if line.startswith(prompt) or line == prompt.rstrip():
            return prompt
    return None


def _trailing_blanks(step: Step) -> list[str]:
    blanks = []
    while step.output and step.output[-1] == "":
        blanks.append(step.output.pop())
    return blanks


def _close(step: Step) -> Step:
    blanks = []
    while step.output and step.output[-1] == "":
        blanks.append(step.output.pop())
    if step.output:
        m = _EXIT_RE.fullmatch(step.output[-1])
        if m:
            step.status = int(m.group(1))
            step.output.pop()
    step.output.extend(blanks)
    return step


def render(steps: list[Step]) -> str:
    lines: list[str] = []
    for step in steps:
        lines.extend(step.preamble)
        if step.command is None:
            continue
        lines.append(step.prompt + step.command)
        body, blanks = list(step.output), []
        while body and body[-1] == "":
            blanks.append(body.pop())
        lines.extend(body)
        if step.status:
            lines.append(f"[exit {step.status}]")
        lines.extend(blanks)
    return "\n".join(lines) + "\n"
