"""``python -m dockfix``."""

from dockfix.cli import main

if __name__ == "__main__":
    main()
