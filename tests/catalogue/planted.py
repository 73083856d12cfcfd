"""The known mistake each mutant plants, as the ids of the hints that may name it.

A hint names a known mistake (grader.exercise.Fail.mistake); for a mutant, every
named mistake must be one of those listed here, and one of them must be named. A
mutant not listed plants a mistake no hint models: no hint may name one. Two ids
for one mutant are two true descriptions (an mse without squares is both "not
squared" and, on a constant shift, "the absolute value or its root").
"""

PLANTED: dict[str, tuple[str, ...]] = {
    "sigmoid-sign-error": ("sigmoid-sign",),
    "sigmoid-tanh-without-half": ("sigmoid-tanh-without-half",),
    "sigmoid-numerator-exp-minus-z": ("sigmoid-sign",),  # exp(-z) / (1 + exp(-z)) is sigma(-z)
    "sigmoid_grad-of-z-itself": ("sigmoid_grad-of-z",),
    "sigmoid_grad-sigma-twice": ("sigmoid_grad-sigma-twice",),
    "sigmoid_grad-plus-instead-of-minus": ("sigmoid_grad-plus",),
    "mse-sum-not-mean": ("mse-sum",),
    "mse-divide-by-rows": ("mse-rows",),
    "mse-half-factor": ("mse-half",),
    "mse-half-sum": ("mse-half-sum",),
    "mse-no-square": ("mse-abs", "mse-abs-or-rmse"),
    "mse-sqrt": ("mse-rmse", "mse-abs-or-rmse"),
    "mse_grad-missing-2": ("mse_grad-missing-2",),
    "mse_grad-divide-by-rows": ("mse_grad-rows",),
    "mse_grad-difference-only": ("mse_grad-difference-only",),
    "mse_grad-sign": ("mse_grad-sign",),
    "mse_grad-no-mean": ("mse_grad-no-mean",),
    "forward-missing-b1": ("forward-missing-b1",),
    "forward-missing-b2": ("forward-missing-b2",),
    "forward-no-sigmoid": ("forward-no-sigmoid",),
    "forward-sigmoid-on-output": ("forward-sigmoid-on-output",),
    "net-dz-sigma-prime-of-h": ("net-dz-at-h",),
    "net-missing-sigmoid-derivative": ("net-dz-missing",),
    "net-dy-missing-2": ("net-dy-missing-2",),
    "net-dy-divided-by-N": ("net-dy-rows",),
    "net-dy-difference-only": ("net-dy-difference-only",),
    "net-dy-no-mean": ("net-dy-no-mean",),
    "net-loss-summed": ("net-loss-sum",),
    "net-loss-halved": ("net-loss-half",),
    "net-bias-grads-mean": ("net-bias-mean",),
    # half the loss, and gradients of that half: both are true
    "net-half-loss-consistent-grads": ("net-loss-half", "net-dy-missing-2"),
    "adagrad-eps-inside-sqrt": ("adagrad-eps-inside-sqrt",),
    "adagrad-no-accumulation": ("adagrad-no-accumulation",),
    "adagrad-old-cache-in-update": ("adagrad-old-cache",),
    "adagrad-sign": ("adagrad-sign",),
    "adagrad-missing-sqrt": ("adagrad-missing-sqrt",),
    "adagrad-eps-argument-ignored": ("adagrad-eps-ignored",),
    "adagrad-lr-argument-ignored": ("adagrad-lr-ignored",),
    "dropout_backward-missing-scaling": ("dropout_backward-unscaled",),
    "dropout_backward-times-keep-probability": ("dropout_backward-times-keep",),
    "dropout_backward-ignores-mask": ("dropout_backward-no-mask",),
    "dropout_backward-divides-by-p": ("dropout_backward-divides-by-p",),
    "review-net-grad-ascent": ("net-grads-sign",),
}
