"""The finite-difference helper: right on known gradients, wrong gradients found, worst entry named."""

from __future__ import annotations

import numpy as np
import pytest

from grader.gradcheck import compare_gradients, numerical_gradient, relative_error


def _batched(f):
    return lambda inputs: [f(**i) for i in inputs]


CASES = {
    "sum of squares": (lambda x: float(np.sum(x**2)), lambda x: 2 * x),
    "sigmoid sum": (lambda x: float(np.sum(1 / (1 + np.exp(-x)))), lambda x: np.exp(-x) / (1 + np.exp(-x)) ** 2),
    "cubic": (lambda x: float(np.sum(x**3)), lambda x: 3 * x**2),
}


@pytest.mark.parametrize("name", list(CASES), ids=list(CASES))
def test_numerical_gradient_matches_the_analytic_one(name):
    f, grad = CASES[name]
    x = np.random.default_rng(0).standard_normal((3, 4))
    numeric = numerical_gradient(_batched(f), {"x": x})
    np.testing.assert_allclose(numeric["x"], grad(x), rtol=1e-7, atol=1e-9)
    assert compare_gradients({"x": grad(x)}, numeric).passed


def test_several_inputs_every_entry():
    a, b = np.arange(6.0).reshape(2, 3), np.array([0.5, -1.0])
    numeric = numerical_gradient(lambda inputs: [float(np.sum(i["a"] ** 2) + np.sum(i["b"] ** 3)) for i in inputs],
                                 {"a": a, "b": b})
    np.testing.assert_allclose(numeric["a"], 2 * a, atol=1e-7)
    np.testing.assert_allclose(numeric["b"], 3 * b**2, atol=1e-7)


def test_losses_are_asked_for_in_one_batch():
    calls = []

    def losses(inputs):
        calls.append(len(inputs))
        return [float(np.sum(i["x"])) for i in inputs]

    numerical_gradient(losses, {"x": np.zeros((2, 3))})
    assert calls == [12]  # 2 evaluations for each of 6 entries, in one call


def test_wrong_factor_is_caught_and_the_worst_entry_named():
    x = np.array([[1.0, 2.0], [3.0, -4.0]])
    numeric = numerical_gradient(_batched(lambda x: float(np.sum(x**2))), {"x": x})
    analytic = 2 * x
    analytic[1, 1] *= 0.5  # one wrong entry
    verdict = compare_gradients({"x": analytic}, numeric)
    assert not verdict.passed
    assert verdict.where == "x[1, 1]"
    assert verdict.relative_error == pytest.approx(1 / 3, rel=1e-6)
    assert "x[1, 1]" in verdict.summary() and "relative error 3.33e-01" in verdict.summary()


def test_zero_gradient_entries_do_not_fail_on_rounding_noise():
    x = np.array([0.0, 1.0, 2.0])
    numeric = numerical_gradient(_batched(lambda x: float(1e3 + np.sum(x[1:] ** 2))), {"x": x})
    assert compare_gradients({"x": np.array([0.0, 2.0, 4.0])}, numeric, loss_scale=1e3).passed


def test_nan_gradient_fails():
    numeric = {"x": np.array([1.0, 2.0])}
    assert not compare_gradients({"x": np.array([1.0, np.nan])}, numeric).passed


def test_relative_error_is_guarded_near_zero():
    assert relative_error(np.array(0.0), np.array(0.0), 1e-8) == 0.0
    assert relative_error(np.array(1.0), np.array(-1.0), 1e-8) == pytest.approx(1.0)
