# %% [markdown]
# ## Put it together (not graded)
#
# Your functions in one small network: a maxout layer (H = 32 units of k = 2 pieces), then
# batch normalization and dropout (each on or off), then a linear softmax classifier, with
# weight decay on W1 and W2. The problem is small on purpose: 60 training points of two
# interleaved half-moons, with 8 features of pure noise beside the 2 that matter, so that the
# network can memorize the training set. Each curve is trained by full-batch gradient descent
# from the same start; the validation loss is computed in test mode (running statistics,
# dropout scaled by 1 - p).
#
# Watch the gap between the training loss (solid) and the validation loss (dashed): without
# regularization the validation loss turns up while the training loss keeps falling. The
# vertical line marks where early stopping (patience 15) would stop, the dot the epoch whose
# model it keeps. Try another p, lam or patience, or more noise features.

# %%
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)


def moons(n, noise_features=8):
    """Two interleaved half-moons in 2-d, plus features of pure noise."""
    t = rng.uniform(0, np.pi, n)
    y = rng.integers(0, 2, n)
    points = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    points = points + 0.25 * rng.standard_normal((n, 2))
    return np.c_[points, rng.standard_normal((n, noise_features))], y


X_train, y_train = moons(60)
X_val, y_val = moons(400)
D, H, K, C = X_train.shape[1], 32, 2, 2
start = {"W1": rng.standard_normal((D, H, K)) * np.sqrt(2 / D), "b1": np.zeros((H, K)),
         "W2": rng.standard_normal((H, C)) * np.sqrt(1 / H), "b2": np.zeros(C),
         "gamma": np.ones(H), "beta": np.zeros(H)}


def run(params, X, y, batchnorm, p, stats, train, drop_rng=None, lam=1e-3):
    """The loss (cross-entropy + weight decay) and, in training, the gradients and new running statistics."""
    z = maxout_forward(X, params["W1"], params["b1"])
    h, mask = z, None
    if batchnorm:
        h, mean, var = batchnorm_forward(z, params["gamma"], params["beta"], *stats, train=train)
        stats = (mean, var)
    if p > 0:
        h, mask = dropout_forward_scaled(h, p, drop_rng, train=train)
    logits = h @ params["W2"] + params["b2"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    penalty, decay = l2_penalty(params, lam)
    loss = -np.mean(np.log(probs[np.arange(len(y)), y])) + penalty
    if not train:
        return loss, None, stats
    dlogits = (probs - np.eye(C)[y]) / len(y)
    grads = {"W2": h.T @ dlogits, "b2": dlogits.sum(axis=0), "gamma": np.zeros(H), "beta": np.zeros(H)}
    dh = dlogits @ params["W2"].T
    if p > 0:
        dh = dropout_backward_scaled(dh, mask)
    if batchnorm:
        dh, grads["gamma"], grads["beta"] = batchnorm_backward(dh, z, params["gamma"])
    _, grads["W1"], grads["b1"] = maxout_backward(dh, X, params["W1"], params["b1"])
    return loss, {k: grads[k] + decay[k] for k in params}, stats


def train(batchnorm, p, epochs=300, lr=0.3):
    params, stats, drop_rng = dict(start), (np.zeros(H), np.ones(H)), np.random.default_rng(1)
    train_losses, val_losses = [], []
    for _ in range(epochs):
        loss, grads, stats = run(params, X_train, y_train, batchnorm, p, stats, True, drop_rng)
        params = {k: params[k] - lr * grads[k] for k in params}
        train_losses.append(loss)
        val_losses.append(run(params, X_val, y_val, batchnorm, p, stats, False)[0])
    return train_losses, val_losses


fig, axes = plt.subplots(1, 4, figsize=(18, 4), sharey=True)
for ax, (batchnorm, p) in zip(axes, ((False, 0.0), (True, 0.0), (False, 0.5), (True, 0.5))):
    train_losses, val_losses = train(batchnorm, p)
    best, stop = early_stopping(val_losses, patience=15)
    ax.plot(train_losses, label="training")
    ax.plot(val_losses, "--", label="validation")
    ax.axvline(stop, color="gray", linewidth=1, label=f"early stop: epoch {stop}")
    ax.plot(best, val_losses[best], "o", color="black", label=f"kept: epoch {best}, {val_losses[best]:.3f}")
    ax.set(title=f"batch norm {'on' if batchnorm else 'off'}, dropout p = {p}", xlabel="epoch", ylim=(0, 1.2))
    ax.legend()
axes[0].set_ylabel("loss (cross-entropy + weight decay)")
plt.show()
