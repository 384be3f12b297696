from acli.cli import main

raise SystemExit(main())
