#!/usr/bin/env python
"""Django's manage.py; the `fanarchive` command does the same from anywhere."""

from fanarchive.cli import main

if __name__ == "__main__":
    main()
