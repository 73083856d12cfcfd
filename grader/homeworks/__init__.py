"""The homeworks this grader knows, by the name a student types (`grade hw1`)."""

from grader.exercise import Homework
from grader.homeworks import hw1

HOMEWORKS: dict[str, Homework] = {hw.name: hw for hw in (hw1.HOMEWORK,)}
