"""A second, independently written catalogue of hw2 mistakes, for review.

Written from issue 12's contract alone, by a reviewer who had not seen hw2's reference, grader
or first catalogue. Each entry has one bug that the contract forbids; its first comment line says
where the mistake comes from (recalled from those courses, libraries and forums, not linked to a
thread), the next why it is wrong by the contract. The known mistakes
(solutions/hw2/mistakes.py) were not seen either: no entry says what it plants yet, and the
lead fills in `# plants:` where a hint models the mistake (see the report of branch s2-hw2cat).

Not mutants, because the contract allows them (most are in review_alternatives.py):
- relu_grad from the post-activation (relu(z) > 0 is z > 0), z * (z > 0) for relu (-0.0 == 0.0);
- rng.shuffle(np.arange(n)) or rng.permuted(np.arange(n)) for rng.permutation(n) (the same
  draw, the same state afterwards);
- a softmax without the max inside mlp_loss_and_grads (a network's logits stay within +-50);
- grads keyed by grads' keys in sgd_step (the keys are the same).
Left out as arguable: softmax as exp(z - (m + log sum exp(z - m))) is exact in float64 but off by
up to half an ulp of m in the exponent: 4e-4 relative in float32 at |z| = 1e4 (above float32's
tolerance, yet within the input's own precision there).
"""

import numpy as np  # the reference imports it; the entries below use it


# ---------------------------------------------------------------- relu ---

# mutant: review-relu-inplace-mask
# source: CS231n assignment 2 forums (relu_forward written as x[x < 0] = 0 on the cached input)
# modifies z (the contract: no function may modify its inputs)
def relu(z):
    z[z < 0] = 0
    return z


# mutant: review-relu-leaky
# source: d2l.ai discussions of the ReLU section (leaky/parametrised ReLU mixed up with ReLU)
# slope 0.01 for z < 0: relu(-1) must be 0
def relu(z):
    return np.where(z > 0, z, 0.01 * z)


# mutant: review-relu-python-loop-float64
# source: my reasoning (a list comprehension over z.flat makes Python floats, then float64)
# float32 in, float64 out: the contract keeps the dtype
def relu(z):
    return np.array([max(v, 0.0) for v in z.flat]).reshape(z.shape)


# mutant: review-relu-zeros-like-float
# source: my reasoning (np.maximum against an explicit array of zeros, which np.zeros makes float64)
# np.zeros is float64: float32 in, float64 out
def relu(z):
    return np.maximum(z, np.zeros(np.shape(z)))


# ----------------------------------------------------------- relu_grad ---

# mutant: review-relu-grad-bool
# source: CS231n assignment 2 (relu_backward's mask kept as booleans when returned on its own)
# booleans, not floats (the contract says so in words)
def relu_grad(z):
    return z > 0


# mutant: review-relu-grad-one-at-zero
# plants: relu_grad-at-zero
# source: forum discussions of relu's derivative at 0 (the subgradient 1 chosen: Z >= 0)
# 1 at z = 0, the contract takes 0 there
def relu_grad(z):
    return (z >= 0).astype(z.dtype)


# mutant: review-relu-grad-astype-float
# source: CS231n forums (.astype(float) after the comparison)
# float64 for float32 input
def relu_grad(z):
    return (z > 0).astype(float)


# mutant: review-relu-grad-int
# source: my reasoning ("* 1" to turn booleans into numbers gives int64)
# an integer array, not floats of z's dtype
def relu_grad(z):
    return (z > 0) * 1


# mutant: review-relu-grad-heaviside-half
# source: numpy's documentation of np.heaviside (its example uses 0.5 at 0)
# 0.5 at z = 0, the contract takes 0
def relu_grad(z):
    return np.heaviside(z, 0.5).astype(z.dtype)


# mutant: review-relu-grad-sign
# source: my reasoning (the derivative of |z| taken for the derivative of relu)
# -1 for z < 0
def relu_grad(z):
    return np.sign(z)


# mutant: review-relu-grad-inplace
# source: CS231n assignment 2 forums (dx[x <= 0] = 0 written on the array that came in)
# overwrites z with the derivative
def relu_grad(z):
    z[z > 0] = 1
    z[z <= 0] = 0
    return z


# mutant: review-relu-grad-ratio
# source: my reasoning (relu(z) / z is 1 or 0, except where z = 0)
# 0 / 0 at z = 0: nan and an invalid-value warning
def relu_grad(z):
    return relu(z) / z


# -------------------------------------------------------- hard_sigmoid ---

# mutant: review-hsig-keras-slope
# plants: hard_sigmoid-keras
# source: Keras' hard_sigmoid (clip(0.2 * x + 0.5, 0, 1)), copied from its documentation
# slope 0.2 and knees at +-2.5: not the lecture's two-ReLU form
def hard_sigmoid(z):
    return np.clip(0.2 * z + 0.5, 0, 1)


# mutant: review-hsig-pytorch-slope
# source: PyTorch's nn.Hardsigmoid (x / 6 + 1 / 2 clipped to [0, 1])
# slope 1/6 and knees at +-3
def hard_sigmoid(z):
    return np.clip(z / 6 + 0.5, 0, 1)


# mutant: review-hsig-no-half
# plants: hard_sigmoid-no-half
# source: my reasoning (the two ReLUs without the factor 1/2)
# ranges over [0, 2]
def hard_sigmoid(z):
    return relu(z + 1) - relu(z - 1)


# mutant: review-hsig-precedence
# source: my reasoning (operator precedence: only the second ReLU halved)
# (relu(z + 1) - relu(z - 1)) / 2 read as relu(z + 1) - relu(z - 1) / 2
def hard_sigmoid(z):
    return relu(z + 1) - relu(z - 1) / 2


# mutant: review-hsig-hard-tanh
# source: d2l.ai discussions (hard tanh, clip(z, -1, 1), taken for the hard sigmoid)
# -1 for z <= -1 and z in between
def hard_sigmoid(z):
    return np.clip(z, -1, 1)


# mutant: review-hsig-no-lower-clamp
# source: my reasoning (only the upper knee handled)
# negative for z < -1
def hard_sigmoid(z):
    return np.where(z < 1, (z + 1) / 2, 1).astype(z.dtype)


# mutant: review-hsig-interp-float64
# source: my reasoning (np.interp is the natural piecewise-linear tool)
# np.interp always returns float64: float32 in, float64 out
def hard_sigmoid(z):
    return np.interp(z, [-1.0, 1.0], [0.0, 1.0])


# mutant: review-hsig-inplace-shift
# source: my reasoning (z += 1 to shift the input, on the caller's array)
# modifies z
def hard_sigmoid(z):
    z += 1
    return np.clip(z / 2, 0, 1)


# ------------------------------------------------------------- softmax ---

# mutant: review-softmax-no-max
# source: d2l.ai "softmax regression from scratch" (exp(X) / sum, the chapter's discussions report nan)
# exp(1e4) overflows: nan and an overflow warning
def softmax(logits):
    e = np.exp(logits)
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: review-softmax-global-max
# source: CS231n assignment 1 forums (scores -= np.max(scores), the maximum of the whole matrix)
# a row far below the global maximum underflows to 0 / 0
def softmax(logits):
    e = np.exp(logits - np.max(logits))
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: review-softmax-sum-axis0
# source: CS231n forums (normalising over the batch axis)
# columns sum to 1, not rows
def softmax(logits):
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


# mutant: review-softmax-subtract-mean
# source: my reasoning (centring the logits "to keep exp small")
# exp(z - mean) still overflows when a row spans 1e4 and -1e4
def softmax(logits):
    e = np.exp(logits - np.mean(logits, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: review-softmax-clip-80
# source: Coursera DLS forums (clipping the logits so that exp cannot overflow, even in float32)
# logits beyond +-80 are changed: softmax([100, 90]) becomes [0.5, 0.5]
def softmax(logits):
    e = np.exp(np.clip(logits, -80, 80))
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: review-softmax-inplace-shift
# source: CS231n assignment 1 (scores -= np.max(scores, axis=1, keepdims=True) on the argument)
# modifies logits
def softmax(logits):
    logits -= np.max(logits, axis=1, keepdims=True)
    e = np.exp(logits)
    return e / np.sum(e, axis=1, keepdims=True)


# mutant: review-softmax-loop-zeros
# source: CS231n assignment 1 (softmax_loss_naive's loops into np.zeros buffers)
# np.zeros is float64: float32 in, float64 out
def softmax(logits):
    out = np.zeros(logits.shape)
    for i in range(logits.shape[0]):
        e = np.exp(logits[i] - np.max(logits[i]))
        out[i] = e / np.sum(e)
    return out


# mutant: review-softmax-whole-matrix
# source: d2l.ai discussions (np.exp(X) / np.exp(X).sum(), normalising the whole batch)
# the whole matrix sums to 1, not each row
def softmax(logits):
    e = np.exp(logits - np.max(logits, axis=1, keepdims=True))
    return e / np.sum(e)


# mutant: review-softmax-float32-exp
# source: my reasoning (computing in float32 "for speed")
# float32 precision for float64 logits: a near miss
def softmax(logits):
    shifted = (logits - np.max(logits, axis=1, keepdims=True)).astype(np.float32)
    e = np.exp(shifted)
    return (e / np.sum(e, axis=1, keepdims=True)).astype(logits.dtype)


# ------------------------------------------------------- cross_entropy ---

# mutant: review-ce-sum-not-mean
# plants: ce-sum
# source: CS231n assignment 1 forums (loss /= num_train forgotten)
# missing 1/N
def cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.sum(log_probs[np.arange(n), y]))


# mutant: review-ce-no-minus
# plants: ce-sign
# source: d2l.ai discussions (the negative log-likelihood's sign dropped)
# the negative of the loss
def cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(np.sum(log_probs[np.arange(n), y]) / n)


# mutant: review-ce-log-of-softmax
# source: d2l.ai "softmax regression from scratch" (-log(y_hat[range(len(y_hat)), y]))
# a confidently wrong row's probability underflows to 0: log(0) = -inf, a loss of inf, a warning
def cross_entropy(logits, y):
    p = softmax(logits)
    return float(-np.mean(np.log(p[np.arange(logits.shape[0]), y])))


# mutant: review-ce-log-eps
# source: CS231n and Coursera DLS forums (np.log(p + 1e-8) "to avoid log(0)")
# the loss moves by about 1e-8 / p: wrong in float64, and capped near 18.4 for a confident mistake
def cross_entropy(logits, y):
    p = softmax(logits)
    return float(-np.mean(np.log(p[np.arange(logits.shape[0]), y] + 1e-8)))


# mutant: review-ce-keras-clip
# source: Keras' categorical_crossentropy (probabilities clipped to [1e-7, 1 - 1e-7])
# a confidently wrong row costs at most 16.1, not its true size (about the logits' gap)
def cross_entropy(logits, y):
    p = np.clip(softmax(logits), 1e-7, 1 - 1e-7)
    return float(-np.mean(np.log(p[np.arange(logits.shape[0]), y])))


# mutant: review-ce-naive-logsumexp
# source: textbooks' log-sum-exp written without the shift (log(sum(exp(z))))
# exp(1e4) overflows: inf - inf, nan and a warning
def cross_entropy(logits, y):
    n = logits.shape[0]
    lse = np.log(np.sum(np.exp(logits), axis=1))
    return float(np.mean(lse - logits[np.arange(n), y]))


# mutant: review-ce-shift-not-added-back
# source: CS231n forums (the maximum subtracted inside the log-sum-exp and never added back)
# the loss is off by mean(max_i - ...) : log sum exp(z - m) - z_y instead of ... - (z_y - m)
def cross_entropy(logits, y):
    n = logits.shape[0]
    m = np.max(logits, axis=1)
    lse = np.log(np.sum(np.exp(logits - m[:, None]), axis=1))
    return float(np.mean(lse - logits[np.arange(n), y]))


# mutant: review-ce-label-minus-one
# source: Coursera Machine Learning ex4 (labels 1..K in Octave, ported to 0-based numpy)
# picks column y - 1: y = 0 wraps to the last class
def cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.mean(log_probs[np.arange(n), y - 1]))


# mutant: review-ce-column-indexing
# source: CS231n forums (log_probs[:, y] selects N columns, not one entry per row)
# averages an (N, N) block instead of the N picked entries
def cross_entropy(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return float(-np.mean(log_probs[:, y]))


# mutant: review-ce-mean-over-all-entries
# plants: ce-all-entries
# source: d2l.ai and Keras forums (np.mean of onehot * log p over N*C entries)
# divides by N*C, not N
def cross_entropy(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    onehot = np.zeros_like(log_probs)
    onehot[np.arange(logits.shape[0]), y] = 1
    return float(-np.mean(onehot * log_probs))


# mutant: review-ce-no-mean
# source: PyTorch's reduction='none' habit, and forum posts returning the per-example losses
# returns the N per-example losses, not their mean (the contract: a float)
def cross_entropy(logits, y):
    n = logits.shape[0]
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -log_probs[np.arange(n), y]


# -------------------------------------------------- cross_entropy_grad ---

# mutant: review-ceg-no-divide-by-n
# plants: ceg-no-mean
# source: CS231n assignment 1 forums (dW /= num_train forgotten in the vectorised softmax)
# N times too large
def cross_entropy_grad(logits, y):
    d = softmax(logits)
    d[np.arange(logits.shape[0]), y] -= 1
    return d


# mutant: review-ceg-sign
# plants: ceg-sign
# source: my reasoning (onehot - p, the direction of descent, returned as the gradient)
# the negative of the gradient
def cross_entropy_grad(logits, y):
    d = -softmax(logits)
    d[np.arange(logits.shape[0]), y] += 1
    return d / logits.shape[0]


# mutant: review-ceg-eye-onehot
# source: the contract's own example of an upcast (np.eye(C)[y] is float64)
# float32 in, float64 out
def cross_entropy_grad(logits, y):
    onehot = np.eye(logits.shape[1])[y]
    return (softmax(logits) - onehot) / logits.shape[0]


# mutant: review-ceg-column-broadcast
# source: CS231n forums (dscores[:, y] -= 1 instead of dscores[range(N), y] -= 1)
# subtracts 1 from every row in each labelled column
def cross_entropy_grad(logits, y):
    d = softmax(logits)
    d[:, y] -= 1
    return d / logits.shape[0]


# mutant: review-ceg-naive-softmax
# source: d2l.ai "softmax regression from scratch" (softmax without the maximum)
# exp(1e4) overflows: nan and a warning
def cross_entropy_grad(logits, y):
    e = np.exp(logits)
    d = e / np.sum(e, axis=1, keepdims=True)
    d[np.arange(logits.shape[0]), y] -= 1
    return d / logits.shape[0]


# mutant: review-ceg-label-minus-one
# source: Coursera Machine Learning ex4 (1-based labels ported to numpy)
# the 1 is subtracted in column y - 1
def cross_entropy_grad(logits, y):
    d = softmax(logits)
    d[np.arange(logits.shape[0]), y - 1] -= 1
    return d / logits.shape[0]


# mutant: review-ceg-divide-by-nc
# source: my reasoning (the gradient of a mean over N*C entries)
# divided by N*C, not N
def cross_entropy_grad(logits, y):
    d = softmax(logits)
    d[np.arange(logits.shape[0]), y] -= 1
    return d / logits.size


# ---------------------------------------------- binary_cross_entropy ---

# mutant: review-bce-naive
# source: Coursera DLS week 2 (logistic regression's cost with np.log(A) and np.log(1 - A))
# sigma(1e4) = 1 exactly: log(0) = -inf, nan, warnings
def binary_cross_entropy(z, y):
    s = 1 / (1 + np.exp(-z))
    return float(-np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


# mutant: review-bce-log-one-minus-sigmoid
# source: CS231n and DLS forums (a stable sigmoid, then log(1 - sigmoid))
# 1 - sigma(z) rounds to 0 for z >= 37: log(0), and 0 * -inf = nan when y = 1
def binary_cross_entropy(z, y):
    s = np.exp(-np.logaddexp(0, -z))
    return float(-np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


# mutant: review-bce-clip-eps
# source: Keras' binary_crossentropy (the probability clipped to [1e-7, 1 - 1e-7])
# a confident mistake costs 16.1 instead of about |z|
def binary_cross_entropy(z, y):
    s = np.clip(np.exp(-np.logaddexp(0, -z)), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


# mutant: review-bce-clip-logits
# source: Coursera DLS forums (np.clip(z, -30, 30) before the sigmoid "to avoid overflow")
# z = 1e4 with y = 0 costs 30 instead of 1e4
def binary_cross_entropy(z, y):
    z = np.clip(z, -30, 30)
    s = 1 / (1 + np.exp(-z))
    return float(-np.mean(y * np.log(s) + (1 - y) * np.log(1 - s)))


# mutant: review-bce-tf-formula-no-abs
# source: TensorFlow's sigmoid_cross_entropy_with_logits formula copied without its abs
# max(z, 0) - z y + log(1 + exp(-z)) overflows for z <= -710 (and is wrong for z < 0)
def binary_cross_entropy(z, y):
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z))))


# mutant: review-bce-plus-minus-one-labels
# source: textbooks' logistic loss log(1 + exp(-y z)) for labels in {-1, +1}, used with 0/1 labels
# a 0 label costs log 2 whatever z is
def binary_cross_entropy(z, y):
    return float(np.mean(np.logaddexp(0, -y * z)))


# mutant: review-bce-sum
# plants: bce-sum
# source: Coursera DLS forums (the 1/m of the cost forgotten)
# missing 1/N
def binary_cross_entropy(z, y):
    return float(np.sum(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))


# mutant: review-bce-labels-swapped
# plants: bce-labels-swapped
# source: my reasoning (sigma(z) taken as the probability of class 0)
# y and 1 - y exchanged
def binary_cross_entropy(z, y):
    return float(np.mean((1 - y) * np.logaddexp(0, -z) + y * np.logaddexp(0, z)))


# --------------------------------------------------------- mlp_forward ---

# mutant: review-fwd-relu-on-logits
# plants: forward-relu-on-logits
# source: CS231n forums (the hidden layer's nonlinearity applied to the scores too)
# negative logits become 0
def mlp_forward(params, X):
    h = relu(X @ params["W1"] + params["b1"])
    return relu(h @ params["W2"] + params["b2"])


# mutant: review-fwd-softmax-output
# source: d2l.ai discussions (the net returns probabilities, the loss then applies softmax again)
# returns softmax of the logits, not the logits
def mlp_forward(params, X):
    h = relu(X @ params["W1"] + params["b1"])
    return softmax(h @ params["W2"] + params["b2"])


# mutant: review-fwd-sigmoid-left-over
# source: my reasoning (hw1's two_layer_forward copied, its sigmoid kept)
# sigmoid hidden units, not ReLU
def mlp_forward(params, X):
    z = X @ params["W1"] + params["b1"]
    h = np.exp(-np.logaddexp(0, -z))
    return h @ params["W2"] + params["b2"]


# mutant: review-fwd-bias-after-relu
# source: my reasoning (b1 added after the nonlinearity)
# relu(X W1) + b1 instead of relu(X W1 + b1)
def mlp_forward(params, X):
    h = relu(X @ params["W1"]) + params["b1"]
    return h @ params["W2"] + params["b2"]


# mutant: review-fwd-missing-b2
# plants: forward-missing-b2
# source: my reasoning (the output bias forgotten)
# no b2
def mlp_forward(params, X):
    h = relu(X @ params["W1"] + params["b1"])
    return h @ params["W2"]


# -------------------------------------------------- mlp_loss_and_grads ---

# mutant: review-net-no-relu-mask
# plants: mlg-no-relu-grad
# source: CS231n assignment 1 two_layer_net forums (dhidden passed straight to dW1)
# the gradient flows through the units that were off
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = dlogits @ W2.T
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-mask-ge-zero
# plants: mlg-relu-at-zero
# source: Coursera DLS forums (dZ[Z >= 0] kept: relu's derivative taken as 1 at 0)
# units with a pre-activation of exactly 0 pass the gradient (the contract takes 0 there)
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * (z >= 0)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-mask-h-ge-zero
# plants: mlg-no-relu-grad
# source: my reasoning (the mask read off the post-activation, h >= 0, which always holds)
# every unit passes the gradient: the mask is all ones
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * (h >= 0)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-times-activation
# source: my reasoning (hw1's sigma'(z) = s (1 - s) habit: the derivative read off the activation)
# multiplies by h instead of relu'(z)
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * h
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-bias-mean
# plants: mlg-bias-mean
# source: CS231n assignment 2 forums (db = np.mean(dout, axis=0), the 1/N taken twice)
# bias gradients N times too small
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz.mean(axis=0), "W2": h.T @ dlogits, "b2": dlogits.mean(axis=0)}


# mutant: review-net-bias-first-row
# source: my reasoning (a single example's derivation, db = dz, applied to a batch as dz[0])
# bias gradients from the first example only
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz[0], "W2": h.T @ dlogits, "b2": dlogits[0]}


# mutant: review-net-dw2-from-z
# plants: mlg-dW2-from-z
# source: CS231n forums (dW2 from the pre-activation instead of the hidden activation)
# z.T @ dlogits differs where z < 0
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": z.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-grads-not-averaged
# plants: mlg-no-mean
# source: CS231n assignment 1 forums (dscores /= N forgotten, the loss itself averaged)
# every gradient N times too large
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = softmax(logits)
    dlogits[np.arange(X.shape[0]), y] -= 1
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-cs231n-reg
# source: CS231n assignment 1's TwoLayerNet.loss (its L2 term kept, reg defaulting to 1e-5)
# adds reg * (|W1|^2 + |W2|^2) to the loss and 2 reg W to the grads
def mlp_loss_and_grads(params, X, y, reg=1e-5):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y) + reg * (np.sum(W1 * W1) + np.sum(W2 * W2))
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz + 2 * reg * W1, "b1": dz.sum(axis=0),
                  "W2": h.T @ dlogits + 2 * reg * W2, "b2": dlogits.sum(axis=0)}


# mutant: review-net-loss-of-probabilities
# source: d2l.ai discussions (softmax applied twice: cross-entropy of the probabilities)
# the loss is cross_entropy(softmax(logits)); the grads are right
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(softmax(logits), y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0), "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0)}


# mutant: review-net-bias-keepdims
# source: CS231n notes' "minimal neural network case study" (db = np.sum(dscores, axis=0, keepdims=True), b of shape (1, K))
# bias gradients of shape (1, H) and (1, C), not the params' shapes (H,) and (C,)
def mlp_loss_and_grads(params, X, y):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    z = X @ W1 + b1
    h = relu(z)
    logits = h @ W2 + b2
    loss = cross_entropy(logits, y)
    dlogits = cross_entropy_grad(logits, y)
    dz = (dlogits @ W2.T) * relu_grad(z)
    return loss, {"W1": X.T @ dz, "b1": dz.sum(axis=0, keepdims=True),
                  "W2": h.T @ dlogits, "b2": dlogits.sum(axis=0, keepdims=True)}


# --------------------------------------------------------- minibatches ---

# mutant: review-mb-drop-last
# plants: batches-drop-last
# source: PyTorch's DataLoader(drop_last=True) habit, and range(0, n - batch_size + 1, batch_size)
# the remainder is dropped
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n - batch_size + 1, batch_size)]


# mutant: review-mb-shuffle-and-draw
# source: CS231n forums (rng.shuffle of the indices, then rng.choice for the batch: two draws)
# the permutation is drawn, then a spare draw leaves the generator in another state
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = np.arange(n)
    rng.shuffle(order)
    rng.integers(n)  # "a random starting batch", never used
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: review-mb-choice
# source: my reasoning (rng.choice(n, n, replace=False) taken for a permutation)
# another permutation than rng.permutation(n) (choice uses its own algorithm)
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.choice(n, n, replace=False)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: review-mb-array-split
# plants: batches-array-split
# source: d2l.ai discussions (np.array_split(perm, ceil(n / batch_size)) for the batches)
# balanced chunks: n = 10, batch_size = 4 gives 4, 3, 3 instead of 4, 4, 2
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permutation(n)
    return np.array_split(order, -(-n // batch_size))


# mutant: review-mb-empty-last
# source: my reasoning (range(n // batch_size + 1) chunks)
# an empty last chunk when batch_size divides n
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size + 1)]


# mutant: review-mb-check-after-draw
# source: my reasoning (the arguments checked where they are first used)
# draws the permutation, then raises: the generator moved (the contract: before drawing anything)
def minibatches(n, batch_size, rng):
    order = rng.permutation(max(n, 0))
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: review-mb-no-check
# source: my reasoning (no argument check at all)
# n = 0 gives [] and batch_size = 0 raises range()'s ValueError after drawing
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: review-mb-generator
# source: Keras and d2l.ai's data_iter (yield each batch)
# returns a generator, not a list (the contract says a list)
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permutation(n)
    return (order[start:start + batch_size] for start in range(0, n, batch_size))


# mutant: review-mb-batch-larger-than-n
# source: my reasoning (a batch larger than the data set taken for a mistake)
# raises for batch_size > n, where the contract gives one chunk of all n indices
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1 or batch_size > n:
        raise ValueError("need 1 <= batch_size <= n")
    order = rng.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: review-mb-sorted-batches
# source: my reasoning (each batch sorted "for cache-friendly indexing")
# the chunks' indices are reordered: not the permutation split in order
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permutation(n)
    return [np.sort(order[start:start + batch_size]) for start in range(0, n, batch_size)]


# mutant: review-mb-global-rng
# source: CS231n and d2l.ai code (np.random.permutation / np.random.shuffle, the global generator)
# the permutation does not come from rng: another order, and rng left unchanged
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = np.random.permutation(n)
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# mutant: review-mb-lists
# source: my reasoning (.tolist() "to return plain Python")
# lists of ints, not 1-d integer arrays
def minibatches(n, batch_size, rng):
    if n < 1 or batch_size < 1:
        raise ValueError("n and batch_size must be at least 1")
    order = rng.permutation(n).tolist()
    return [order[start:start + batch_size] for start in range(0, n, batch_size)]


# ------------------------------------------------------------ sgd_step ---

# mutant: review-sgd-inplace
# source: CS231n optim.py (w -= config['learning_rate'] * dw, updating the parameter in place)
# modifies params' arrays
def sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]
    return params


# mutant: review-sgd-shallow-copy
# source: my reasoning (dict(params) copies the dict, not its arrays)
# the arrays of params are modified in place
def sgd_step(params, grads, lr):
    new = dict(params)
    for k in new:
        new[k] -= lr * grads[k]
    return new


# mutant: review-sgd-ascent
# plants: sgd-ascent
# source: my reasoning (the sign of the step)
# p + lr g
def sgd_step(params, grads, lr):
    return {k: params[k] + lr * grads[k] for k in params}


# mutant: review-sgd-float64-params
# source: my reasoning (.astype(float) "to be safe")
# float32 params come back float64
def sgd_step(params, grads, lr):
    return {k: params[k].astype(float) - lr * grads[k] for k in params}


# mutant: review-sgd-float32-lr
# source: my reasoning (np.float32(lr) to "match the parameters")
# the learning rate rounded to float32: float64 updates off in the 8th digit
def sgd_step(params, grads, lr):
    lr = np.float32(lr)
    return {k: params[k] - (lr * grads[k]).astype(params[k].dtype) for k in params}


# --------------------------------------------------------- train_epoch ---

# mutant: review-train-stale-params
# source: CS231n forums (the updated params never reassigned: every gradient at the start point)
# each minibatch's gradient and loss are taken at the original params
def train_epoch(params, X, y, lr, batch_size, rng):
    new_params, losses = params, []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        new_params = sgd_step(new_params, grads, lr)
        losses.append(loss)
    return new_params, np.array(losses, dtype=np.float64)


# mutant: review-train-last-step-only
# source: my reasoning (each step starts again from the given params)
# only the last minibatch's update survives
def train_epoch(params, X, y, lr, batch_size, rng):
    new_params, losses = params, []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        new_params = sgd_step(params, grads, lr)
        losses.append(loss)
    return new_params, np.array(losses, dtype=np.float64)


# mutant: review-train-no-shuffle
# source: d2l.ai discussions (batches taken in order, the shuffle forgotten)
# batches in the data's order: other batches, and the generator left untouched
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for start in range(0, len(X), batch_size):
        idx = np.arange(start, min(start + batch_size, len(X)))
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, np.array(losses, dtype=np.float64)


# mutant: review-train-two-permutations
# source: Stack Overflow and d2l.ai threads (X and y shuffled with separate permutations)
# the labels no longer go with their rows
def train_epoch(params, X, y, lr, batch_size, rng):
    n = len(X)
    Xs, ys = X[rng.permutation(n)], y[rng.permutation(n)]
    losses = []
    for start in range(0, n, batch_size):
        loss, grads = mlp_loss_and_grads(params, Xs[start:start + batch_size], ys[start:start + batch_size])
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, np.array(losses, dtype=np.float64)


# mutant: review-train-loss-after-update
# source: my reasoning (the loss recorded after the step)
# each loss is taken after its minibatch's update, not before
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        _, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(mlp_loss_and_grads(params, X[idx], y[idx])[0])
    return params, np.array(losses, dtype=np.float64)


# mutant: review-train-losses-list
# source: my reasoning (the list of losses returned as it was built)
# losses is a list, the contract asks for a float64 ndarray
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, losses


# mutant: review-train-full-batch-grads
# source: my reasoning (the gradient of the whole data set taken at each step)
# each step uses grads of all of X, y instead of the minibatch's
def train_epoch(params, X, y, lr, batch_size, rng):
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss = mlp_loss_and_grads(params, X[idx], y[idx])[0]
        grads = mlp_loss_and_grads(params, X, y)[1]
        params = sgd_step(params, grads, lr)
        losses.append(loss)
    return params, np.array(losses, dtype=np.float64)


# mutant: review-train-inplace-update
# source: CS231n optim.py's sgd (w -= learning_rate * dw) used on the caller's params
# the results are right, but the given params are changed (the contract: leaves them untouched)
def train_epoch(params, X, y, lr, batch_size, rng):
    params = dict(params)
    losses = []
    for idx in minibatches(len(X), batch_size, rng):
        loss, grads = mlp_loss_and_grads(params, X[idx], y[idx])
        for k in params:
            params[k] -= lr * grads[k]
        losses.append(loss)
    return params, np.array(losses, dtype=np.float64)


# ------------------------------------------------------------ accuracy ---

# mutant: review-acc-ties-count-as-right
# source: my reasoning (a row counts as right when its label's logit equals the row's maximum)
# on ties np.argmax takes the first index; this counts every tied label as right
def accuracy(logits, y):
    picked = logits[np.arange(logits.shape[0]), y]
    return float(np.mean(picked == np.max(logits, axis=1)))


# mutant: review-acc-last-on-ties
# plants: accuracy-last-on-ties
# source: my reasoning (argmax of the reversed row, "the highest class wins")
# the last index on ties, not the first
def accuracy(logits, y):
    c = logits.shape[1]
    pred = c - 1 - np.argmax(logits[:, ::-1], axis=1)
    return float(np.mean(pred == y))


# mutant: review-acc-percent
# source: CS231n and Keras logs printing accuracy in percent
# returns 100 times the fraction
def accuracy(logits, y):
    return float(100 * np.mean(np.argmax(logits, axis=1) == y))


# mutant: review-acc-floor-division
# source: my reasoning (correct // N, integer division)
# 0 unless every row is right
def accuracy(logits, y):
    correct = np.sum(np.argmax(logits, axis=1) == y)
    return float(correct // len(y))


# mutant: review-acc-argmax-no-axis
# source: CS231n forums (np.argmax(scores) without axis: one index into the flattened matrix)
# a single flat index compared with every label
def accuracy(logits, y):
    return float(np.mean(np.argmax(logits) == y))


# mutant: review-acc-argmax-axis0
# source: CS231n forums (np.argmax(scores, axis=0): the best example per class)
# argmax over the examples; compared with y it broadcasts wrongly or raises (N != C)
def accuracy(logits, y):
    return float(np.mean(np.argmax(logits, axis=0) == y))


# mutant: review-relu-grad-float32
# source: my reasoning (.astype(np.float32) "since it is only 0 and 1")
# float32 for float64 input
def relu_grad(z):
    return (z > 0).astype(np.float32)
