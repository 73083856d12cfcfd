"""The homeworks this grader knows, by the name a student types (`grade hw1`).

Each is a package of this folder that defines HOMEWORK, found by looking, not listed
by hand. A homework's declaration is imported when it is first asked for, so grading
hw1 never imports hw2's.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping

from grader.course import DECLARATIONS, homework_names
from grader.exercise import Homework


class Homeworks(Mapping):
    """name -> Homework, over the packages of grader/homeworks/."""

    def __init__(self) -> None:
        self._names = homework_names(DECLARATIONS)
        self._loaded: dict[str, Homework] = {}

    def __getitem__(self, name: str) -> Homework:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._loaded:
            homework = getattr(importlib.import_module(f"{__name__}.{name}"), "HOMEWORK", None)
            if not isinstance(homework, Homework) or homework.name != name:
                raise TypeError(f"grader/homeworks/{name}/__init__.py must define HOMEWORK = Homework(name={name!r}, ...)")
            self._loaded[name] = homework
        return self._loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


HOMEWORKS = Homeworks()
