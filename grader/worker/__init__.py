"""The worker: a thin loop that runs the student's code in its own process.

It loads the submission, calls the functions it is asked to call, and sends back
what they returned. It never sees the reference solution or an expected value:
everything that judges lives in the grading process (see ``grader.runner``, the
only code that starts, restarts and stops workers).

This folder is what runs inside the sandbox, one concern a module:

- ``wire``: the wire format, which the grading process imports too;
- ``frames``: the frames that carry it (no numpy: the grader starts a worker before importing it);
- ``loop``: the request loop (read a request, answer it, until the grader hangs up);
- ``student_code``: loading the submission and calling its functions;
- ``budget``: the CPU-time budget of a request;
- ``tracebacks``: what the student's code raised, from its own frames only;
- ``limits``: the limits the worker sets on itself before any student code runs;
- ``audit``: the audit hook, and what it lets a submission read and write;
- ``__main__``: the bootstrap (``python -I <this folder>/__main__.py``).

The modules import only the standard library, numpy and each other (relatively),
so that the same files are ``grader.worker.*`` in the grading process and a
package of a private name inside the sandbox, where nothing of the grader is
importable and a student's own ``wire.py`` or ``loop.py`` stays theirs.
"""
