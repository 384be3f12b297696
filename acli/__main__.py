from acli.cli import entry

entry()
