from csoffice.cli import main

raise SystemExit(main())
